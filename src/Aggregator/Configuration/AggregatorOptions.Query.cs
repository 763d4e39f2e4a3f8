using System.Globalization;
using SupplyOracle.Aggregator.Projections;

namespace SupplyOracle.Aggregator.Configuration;

/// <summary>The query API and telemetry block: <c>Aggregator:Query:*</c> and <c>Aggregator:Otlp:*</c>.</summary>
public sealed partial class AggregatorOptions
{
    /// <summary><c>Aggregator:Query:*</c>: the projections, the Status service, the JSON API and readiness.</summary>
    public QueryOptions Query { get; set; } = new();

    /// <summary><c>Aggregator:Otlp:*</c>: OpenTelemetry export.</summary>
    public OtlpOptions Otlp { get; set; } = new();

    /// <summary>Checks the query and telemetry settings; the message names the first one at fault.</summary>
    /// <exception cref="AggregatorConfigurationException">A setting is invalid.</exception>
    public ValidatedQueryOptions ValidateQuery()
    {
        var schema = Query.Schema;
        QuerySchema parsed;
        try
        {
            parsed = new QuerySchema(schema);
        }
        catch (ArgumentException)
        {
            throw new AggregatorConfigurationException("Aggregator:Query:Schema", $"must be a plain lower-case SQL identifier; got '{schema}'");
        }

        if (Query.MaxLagEvents < 0)
        {
            throw new AggregatorConfigurationException("Aggregator:Query:MaxLagEvents", $"must be >= 0; got {Query.MaxLagEvents.ToString(CultureInfo.InvariantCulture)}");
        }

        if (!(Query.PollMilliseconds is >= 10 and <= 60_000))
        {
            throw new AggregatorConfigurationException("Aggregator:Query:PollMilliseconds", $"must be 10 to 60000; got {Query.PollMilliseconds.ToString(CultureInfo.InvariantCulture)}");
        }

        Uri? endpoint = null;
        if (!string.IsNullOrWhiteSpace(Otlp.Endpoint)
            && (!Uri.TryCreate(Otlp.Endpoint, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            throw new AggregatorConfigurationException("Aggregator:Otlp:Endpoint", $"must be an absolute http(s) URL; got '{Otlp.Endpoint}'");
        }

        var protocol = Otlp.Protocol switch
        {
            "grpc" => SupplyOracle.Telemetry.OtlpProtocol.Grpc,
            "http/protobuf" => SupplyOracle.Telemetry.OtlpProtocol.HttpProtobuf,
            _ => throw new AggregatorConfigurationException("Aggregator:Otlp:Protocol", $"must be grpc or http/protobuf; got '{Otlp.Protocol}'"),
        };
        if (string.IsNullOrWhiteSpace(Otlp.ServiceName))
        {
            throw new AggregatorConfigurationException("Aggregator:Otlp:ServiceName", "may not be empty");
        }

        return new ValidatedQueryOptions(parsed, Query.MaxLagEvents,
            TimeSpan.FromMilliseconds(Query.PollMilliseconds), new SupplyOracle.Telemetry.OtlpSettings(endpoint, protocol, Otlp.ServiceName)) { Dashboard = Dashboard.Enabled };
    }
}

/// <summary>The <c>Aggregator:Query</c> section.</summary>
public sealed class QueryOptions
{
    /// <summary><c>Aggregator:Query:Schema</c>: the PostgreSQL schema of the query tables. Default <c>aggregator_query</c>.</summary>
    public string Schema { get; set; } = QuerySchema.DefaultName;

    /// <summary><c>Aggregator:Query:MaxLagEvents</c>: <c>/readyz</c> fails when the projection is further behind the log. Default 1000.</summary>
    public long MaxLagEvents { get; set; } = 1_000;

    /// <summary>
    /// <c>Aggregator:Query:PollMilliseconds</c>: how often <c>Watch</c> and the lag monitor look for changes, and how
    /// long the oracle's on-chain state (chain time, <c>reportStaleAfter</c>, pauses) read for ages and stale flags is
    /// reused. Default 500.
    /// </summary>
    public int PollMilliseconds { get; set; } = 500;
}

/// <summary>The <c>Aggregator:Otlp</c> section.</summary>
public sealed class OtlpOptions
{
    /// <summary><c>Aggregator:Otlp:Endpoint</c>: the collector (e.g. <c>http://127.0.0.1:4317</c>); empty: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> decides, and with neither nothing is exported.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary><c>Aggregator:Otlp:Protocol</c>: <c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary><c>Aggregator:Otlp:ServiceName</c>: the <c>service.name</c> resource attribute. Default <c>supplyoracle-aggregator</c>.</summary>
    public string ServiceName { get; set; } = "supplyoracle-aggregator";
}

/// <summary>The query and telemetry settings after <see cref="AggregatorOptions.ValidateQuery"/>.</summary>
/// <param name="Schema">The query schema.</param>
/// <param name="MaxLagEvents">The readiness bound on projection lag.</param>
/// <param name="PollInterval">Watch and lag-monitor polling.</param>
/// <param name="Otlp">Telemetry export.</param>
public sealed record ValidatedQueryOptions(QuerySchema Schema, long MaxLagEvents, TimeSpan PollInterval, SupplyOracle.Telemetry.OtlpSettings Otlp)
{
    /// <summary><c>Aggregator:Dashboard:Enabled</c>: the HTTP endpoint serves the web dashboard (README "Dashboard").</summary>
    public bool Dashboard { get; init; } = true;
}
