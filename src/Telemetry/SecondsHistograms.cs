using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace SupplyOracle.Telemetry;

/// <summary>
/// Bucket boundaries for duration histograms recorded in seconds. OpenTelemetry's default explicit buckets
/// (0, 5, 10, 25 … 10,000) were chosen for milliseconds: a histogram in seconds would put a 40 ms RPC call and a 4 s one
/// in the same first bucket, and a 90 s time-to-commit below the 100 bucket. Every histogram of ours whose unit is
/// <c>s</c> and that gives no bucket advice of its own gets these instead (libraries such as Npgsql and ASP.NET Core
/// advise their own, which are kept).
/// </summary>
public static class SecondsHistograms
{
    /// <summary>0.5 ms to 10 min, about three buckets a decade: intake and RPC latencies at the low end, round times at the high end.</summary>
    public static IReadOnlyList<double> Boundaries { get; } =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    /// <summary>Adds the view to <paramref name="builder"/>.</summary>
    /// <param name="builder">A meter provider under construction.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static MeterProviderBuilder AddSecondsHistogramView(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var boundaries = Boundaries.ToArray();
        return builder.AddView(instrument => instrument is Histogram<double> { Unit: "s", Advice: null }
            ? new ExplicitBucketHistogramConfiguration { Boundaries = boundaries }
            : null);
    }
}
