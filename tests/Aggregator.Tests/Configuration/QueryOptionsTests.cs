using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Telemetry;

namespace SupplyOracle.Aggregator.Tests.Configuration;

/// <summary>The <c>Aggregator:Query</c> and <c>Aggregator:Otlp</c> settings and the OTLP export they start.</summary>
public sealed class QueryOptionsTests
{
    [Fact]
    public void ValidateQuery_Defaults_DefaultSchemaGrpcExport()
    {
        var options = new AggregatorOptions().ValidateQuery();

        Assert.Equal("aggregator_query", options.Schema.Name);
        Assert.Equal(1_000, options.MaxLagEvents);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.PollInterval);
        Assert.Equal(new OtlpSettings(null, OtlpProtocol.Grpc, "supplyoracle-aggregator"), options.Otlp);
    }

    [Theory]
    [InlineData("Aggregator:Query:Schema")]
    [InlineData("Aggregator:Query:MaxLagEvents")]
    [InlineData("Aggregator:Query:PollMilliseconds")]
    [InlineData("Aggregator:Otlp:Endpoint")]
    [InlineData("Aggregator:Otlp:Protocol")]
    [InlineData("Aggregator:Otlp:ServiceName")]
    public void ValidateQuery_OneBadSetting_ExceptionNamesIt(string setting)
    {
        var options = new AggregatorOptions();
        switch (setting)
        {
            case "Aggregator:Query:Schema": options.Query.Schema = "Bad-Schema; DROP"; break;
            case "Aggregator:Query:MaxLagEvents": options.Query.MaxLagEvents = -1; break;
            case "Aggregator:Query:PollMilliseconds": options.Query.PollMilliseconds = 5; break;
            case "Aggregator:Otlp:Endpoint": options.Otlp.Endpoint = "ftp://collector"; break;
            case "Aggregator:Otlp:Protocol": options.Otlp.Protocol = "thrift"; break;
            default: options.Otlp.ServiceName = " "; break;
        }

        var error = Assert.Throws<AggregatorConfigurationException>(options.ValidateQuery);

        Assert.Equal(setting, error.Setting);
    }

    [Fact]
    public void Start_EndpointConfigured_ExportRunsWithHttpProtobuf()
    {
        var options = new AggregatorOptions { Otlp = new OtlpOptions { Endpoint = "http://127.0.0.1:4318", Protocol = "http/protobuf" } }.ValidateQuery();

        using var export = AggregatorTelemetryExport.Start(options.Otlp);

        Assert.Equal(OtlpProtocol.HttpProtobuf, options.Otlp.Protocol);
        Assert.True(export.Enabled);
        Assert.Contains(AggregatorTelemetry.Name, AggregatorTelemetryExport.Meters);
        Assert.Contains("Npgsql", AggregatorTelemetryExport.Sources);
    }

    [Fact]
    public void Start_NoEndpointAnywhere_NothingExported()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(OtlpExport.EndpointVariable)), "the test environment sets OTEL_EXPORTER_OTLP_ENDPOINT");

        using var export = AggregatorTelemetryExport.Start(new AggregatorOptions().ValidateQuery().Otlp);

        Assert.False(export.Enabled);
    }
}
