using SupplyOracle.Telemetry;

namespace SupplyOracle.Aggregator.Telemetry;

/// <summary>
/// OTLP export of the aggregator's traces and metrics (<c>Aggregator:Otlp:*</c>) through the shared
/// <see cref="OtlpExport"/>: the aggregator's own source and meter, the gRPC call-duration histograms
/// (<c>SupplyOracle.Protocol.Transport</c>), ASP.NET Core's request spans (which carry grpc-dotnet's <c>grpc.method</c> and
/// <c>grpc.status_code</c> tags and continue the caller's <c>traceparent</c>), the event store, Npgsql (which emits spans
/// and <c>db.client.operation.duration</c> natively), HttpClient and Kestrel (REFERENCES.md).
/// </summary>
public static class AggregatorTelemetryExport
{
    /// <summary>The activity sources exported.</summary>
    public static IReadOnlyList<string> Sources { get; } = [AggregatorTelemetry.Name, "Microsoft.AspNetCore", "System.Net.Http", "Marten", "Npgsql"];

    /// <summary>The meters exported.</summary>
    public static IReadOnlyList<string> Meters { get; } =
        [AggregatorTelemetry.Name, SupplyOracle.Protocol.Transport.GrpcCallMetrics.MeterName, "Marten", "SupplyOracle.Contracts.Bindings", "Npgsql", "System.Net.Http",
         "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>Starts the export (nothing runs when no endpoint is configured); dispose at shutdown to flush.</summary>
    public static OtlpExport Start(OtlpSettings settings) => new(settings, Sources, Meters);
}
