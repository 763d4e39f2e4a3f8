using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SupplyOracle.Reporter.Configuration;

namespace SupplyOracle.Reporter.Telemetry;

/// <summary>
/// OTLP export of the reporter's metrics and traces (plus the gRPC, HTTP and Kestrel meters), built by hand from the
/// core OpenTelemetry SDK (REFERENCES.md, "OpenTelemetry without OpenTelemetry.Extensions.Hosting"). Disposing flushes.
/// With no endpoint configured, the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> decides; with neither, nothing is built.
/// </summary>
public sealed class TelemetryExport : IDisposable
{
    private readonly TracerProvider? _tracer;
    private readonly MeterProvider? _meter;

    /// <summary>Builds the providers.</summary>
    public TelemetryExport(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? new Uri(options.OtlpEndpoint) : null;
        if (endpoint is null && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            return;
        }
        void Configure(OtlpExporterOptions o)
        {
            if (endpoint is not null)
            {
                o.Endpoint = endpoint;
                o.Protocol = OtlpExportProtocol.Grpc;
            }
        }
        _tracer = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(options.ServiceName))
            .AddSource(ReporterTelemetry.Name, "SupplyOracle.Grpc")
            .AddOtlpExporter(Configure)
            .Build();
        _meter = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService(options.ServiceName))
            .AddMeter(ReporterTelemetry.Name, "SupplyOracle.Grpc", "SupplyOracle.Contracts.Bindings", "System.Net.Http", "Microsoft.AspNetCore.Hosting")
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o);
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 10_000;
            })
            .Build();
    }

    /// <summary>True when an exporter is running.</summary>
    public bool Enabled => _meter is not null;

    /// <inheritdoc />
    public void Dispose()
    {
        _tracer?.Dispose();
        _meter?.Dispose();
    }
}
