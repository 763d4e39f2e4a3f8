using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SupplyOracle.Telemetry;

/// <summary>The OTLP transport (OTLP specification, "OTLP/gRPC" and "OTLP/HTTP" with binary protobuf).</summary>
public enum OtlpProtocol
{
    /// <summary>OTLP/gRPC (default port 4317).</summary>
    Grpc,

    /// <summary>OTLP/HTTP with binary protobuf bodies (default port 4318).</summary>
    HttpProtobuf,
}

/// <summary>Where and how to export.</summary>
/// <param name="Endpoint">The collector; null: the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> decides, and with neither nothing is exported.</param>
/// <param name="Protocol">The transport used with <paramref name="Endpoint"/>.</param>
/// <param name="ServiceName">The <c>service.name</c> resource attribute.</param>
public sealed record OtlpSettings(Uri? Endpoint, OtlpProtocol Protocol, string ServiceName);

/// <summary>
/// OTLP export of a process's metrics and traces, built by hand from the core OpenTelemetry SDK (REFERENCES.md,
/// "OpenTelemetry without OpenTelemetry.Extensions.Hosting"): one tracer provider and one meter provider over the
/// named activity sources and meters, metrics exported every 10 s. Disposing flushes. Shared by the reporter and the
/// aggregator so both export the same way.
/// </summary>
public sealed class OtlpExport : IDisposable
{
    /// <summary>The standard environment variable naming the collector.</summary>
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private readonly TracerProvider? _tracer;
    private readonly MeterProvider? _meter;

    /// <summary>Builds the providers, or nothing when no endpoint is configured (<see cref="Enabled"/> is then false).</summary>
    /// <param name="settings">Endpoint, protocol and service name.</param>
    /// <param name="sources">Activity source names to export.</param>
    /// <param name="meters">Meter names to export.</param>
    public OtlpExport(OtlpSettings settings, IReadOnlyList<string> sources, IReadOnlyList<string> meters)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.ServiceName);
        if (settings.Endpoint is null && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EndpointVariable)))
        {
            return;
        }

        void Configure(OtlpExporterOptions o)
        {
            // Options set in code win over OTEL_EXPORTER_OTLP_*; without an endpoint the environment decides everything.
            if (settings.Endpoint is not null)
            {
                o.Endpoint = settings.Endpoint;
                o.Protocol = settings.Protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
            }
        }

        _tracer = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(r => r.AddService(settings.ServiceName))
            .AddSource([.. sources])
            .AddOtlpExporter(Configure)
            .Build();
        _meter = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService(settings.ServiceName))
            .AddMeter([.. meters])
            .AddSecondsHistogramView()
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
