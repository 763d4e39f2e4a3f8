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

    // Transmission (Transmission/): outcomes, replacements, reorganisations, the low-balance alarm.

    /// <summary>Rounds settled by the transmitter (attribute <c>supplyoracle.outcome</c>: confirmed, superseded, failed).</summary>
    internal static readonly Counter<long> Transmissions = Meter.CreateCounter<long>("supplyoracle.transmitter.rounds", "{round}", "Rounds settled by the transmitter, by outcome.");

    /// <summary>Stuck commits replaced with higher fees.</summary>
    internal static readonly Counter<long> Replacements = Meter.CreateCounter<long>("supplyoracle.transmitter.replacements", "{transaction}", "Stuck commits replaced (same nonce, higher fees).");

    /// <summary>Mined commits reorganised away before the confirmation depth.</summary>
    internal static readonly Counter<long> Reorganisations = Meter.CreateCounter<long>("supplyoracle.transmitter.reorganisations", "{transaction}", "Mined commits reorganised away before confirmation.");

    /// <summary>1 while the sender's balance is below the alarm threshold, else 0.</summary>
    internal static readonly Gauge<int> BalanceLow = Meter.CreateGauge<int>("supplyoracle.transmitter.balance_low", "1", "1 while the sender's balance is below the alarm threshold.");

    /// <summary>Low-balance alarms raised (one per crossing).</summary>
    internal static readonly Counter<long> BalanceAlarms = Meter.CreateCounter<long>("supplyoracle.transmitter.balance_alarms", "{alarm}", "Low-balance alarms raised, one per crossing below the threshold.");
}
