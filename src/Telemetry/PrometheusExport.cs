using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace SupplyOracle.Telemetry;

/// <summary>
/// A Prometheus scrape endpoint (<c>GET /metrics</c>, text exposition format) beside the OTLP export, served by
/// OpenTelemetry's Prometheus exporter over its own meter provider, so it works whether or not an OTLP collector is
/// configured. Names follow OpenTelemetry's Prometheus conversion: dots become underscores, the unit becomes a suffix
/// (<c>s</c> → <c>_seconds</c>; annotations such as <c>{batch}</c> add none) and counters end in <c>_total</c>
/// (deploy/monitoring/README.md lists the names the shipped dashboard and alert rules use). Disposing stops it.
/// </summary>
public sealed class PrometheusExport : IDisposable
{
    /// <summary>The path of the scrape endpoint.</summary>
    public const string Path = "/metrics";

    private readonly MeterProvider _provider;

    /// <summary>Builds the meter provider over the named meters.</summary>
    /// <param name="meters">Meter names to expose.</param>
    public PrometheusExport(IReadOnlyList<string> meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter([.. meters])
            // Every scrape collects afresh: Prometheus scrapes at its own interval, and a cached answer would hide
            // a change from a scraper (or a test) that asks twice within the cache window.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build();
    }

    /// <summary>Maps <see cref="Path"/> on <paramref name="endpoints"/>.</summary>
    /// <returns>The endpoint's conventions (e.g. to restrict it to one host or port).</returns>
    public IEndpointConventionBuilder Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapPrometheusScrapingEndpoint(Path, _provider, null, null);
    }

    /// <inheritdoc />
    public void Dispose() => _provider.Dispose();
}
