using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SupplyOracle.EventStore.Internal;

/// <summary>
/// The component's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, named like its namespace (STYLE.md
/// habit 8; instrument names from REFERENCES.md "OpenTelemetry": durations are histograms in seconds, UCUM units,
/// low-cardinality attributes only: never stream ids).
/// </summary>
internal static class EventStoreTelemetry
{
    /// <summary>Meter and source name.</summary>
    public const string Name = "SupplyOracle.EventStore";

    public static readonly ActivitySource Source = new(Name, "1.0.0");

    private static readonly Meter s_meter = new(Name, "1.0.0");
    private static readonly ConcurrentDictionary<object, Func<Measurement<long>>> s_lagSources = new();

    public static readonly Histogram<double> AppendDuration = s_meter.CreateHistogram(
        "supplyoracle.eventstore.append.duration", unit: "s", description: "Duration of appends, including inline projections.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    public static readonly Counter<long> AppendConflicts = s_meter.CreateCounter<long>(
        "supplyoracle.eventstore.append.conflicts", unit: "{conflict}", description: "Appends refused for a wrong expected version.");

    public static readonly Counter<long> EventsAppended = s_meter.CreateCounter<long>(
        "supplyoracle.eventstore.events.appended", unit: "{event}", description: "Events written to the global log.");

    static EventStoreTelemetry()
    {
        s_meter.CreateObservableGauge(
            "supplyoracle.projection.lag",
            () => s_lagSources.Values.Select(f => f()),
            unit: "{event}",
            description: "Events in the global log not yet applied by an async projection.");
    }

    /// <summary>Registers a source of projection-lag measurements until the returned handle is disposed.</summary>
    public static IDisposable RegisterLag(Func<Measurement<long>> measure)
    {
        var key = new object();
        s_lagSources[key] = measure;
        return new Registration(key);
    }

    private sealed class Registration(object key) : IDisposable
    {
        public void Dispose() => s_lagSources.TryRemove(key, out _);
    }
}
