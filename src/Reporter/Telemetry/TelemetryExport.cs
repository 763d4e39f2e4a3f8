using SupplyOracle.Reporter.Configuration;
using SupplyOracle.Telemetry;

namespace SupplyOracle.Reporter.Telemetry;

/// <summary>
/// OTLP export of the reporter's metrics and traces (plus the gRPC, HTTP and Kestrel meters) through the shared
/// <see cref="OtlpExport"/>. Disposing flushes. With no endpoint configured, the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> decides; with neither, nothing is built.
/// </summary>
public sealed class TelemetryExport : IDisposable
{
    private readonly OtlpExport _export;

    /// <summary>Builds the providers.</summary>
    public TelemetryExport(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? new Uri(options.OtlpEndpoint) : null;
        _export = new OtlpExport(new OtlpSettings(endpoint, OtlpProtocol.Grpc, options.ServiceName),
            [ReporterTelemetry.Name, "System.Net.Http", "Microsoft.AspNetCore"],
            Meters);
    }

    /// <summary>The meters exported over OTLP and served on <c>/metrics</c> (<see cref="PrometheusExport"/>).</summary>
    public static IReadOnlyList<string> Meters { get; } =
        [ReporterTelemetry.Name, SupplyOracle.Protocol.Transport.GrpcCallMetrics.MeterName, "SupplyOracle.Contracts.Bindings", "System.Net.Http", "Microsoft.AspNetCore.Hosting"];

    /// <summary>True when an exporter is running.</summary>
    public bool Enabled => _export.Enabled;

    /// <inheritdoc />
    public void Dispose() => _export.Dispose();
}
