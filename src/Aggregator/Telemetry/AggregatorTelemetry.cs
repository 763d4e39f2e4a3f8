using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SupplyOracle.Aggregator.Telemetry;

/// <summary>The aggregator's one <see cref="Meter"/> and <see cref="ActivitySource"/>, both <c>SupplyOracle.Aggregator</c>.</summary>
public static class AggregatorTelemetry
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "SupplyOracle.Aggregator";

    internal static readonly ActivitySource Source = new(Name);
    internal static readonly Meter Meter = new(Name);

    /// <summary>Batches by verdict (attribute <c>supplyoracle.verdict</c>: accepted or the reject reason).</summary>
    internal static readonly Counter<long> Batches = Meter.CreateCounter<long>("supplyoracle.intake.batches", "{batch}", "Observation batches received, by verdict.");

    /// <summary>Token observations accepted.</summary>
    internal static readonly Counter<long> Observations = Meter.CreateCounter<long>("supplyoracle.intake.observations", "{observation}", "Token observations accepted.");

    /// <summary>Time to handle one batch, seconds.</summary>
    internal static readonly Histogram<double> IntakeDuration = Meter.CreateHistogram<double>("supplyoracle.intake.duration", "s", "Time to verify and record one batch.");
}
