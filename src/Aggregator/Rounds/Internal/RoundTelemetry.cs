using System.Diagnostics.Metrics;
using SupplyOracle.Aggregator.Telemetry;

namespace SupplyOracle.Aggregator.Rounds.Internal;

/// <summary>The round loop's instruments, on the aggregator's one meter (<see cref="AggregatorTelemetry"/>).</summary>
internal static class RoundTelemetry
{
    /// <summary>Rounds this replica decided, by outcome (<c>supplyoracle.outcome</c>: confirmed, superseded, abandoned).</summary>
    public static readonly Counter<long> Decided = AggregatorTelemetry.Meter.CreateCounter<long>("supplyoracle.rounds.decided", "{round}",
        "Rounds decided by this replica, by outcome.");

    /// <summary>Attestations received, by verdict (<c>supplyoracle.verdict</c>: accepted or the reject reason).</summary>
    public static readonly Counter<long> Attestations = AggregatorTelemetry.Meter.CreateCounter<long>("supplyoracle.rounds.attestations", "{attestation}",
        "Attestations received, by verdict.");

    /// <summary>Time from a round's opening to its confirmed commit, seconds.</summary>
    public static readonly Histogram<double> TimeToCommit = AggregatorTelemetry.Meter.CreateHistogram<double>("supplyoracle.rounds.time_to_commit", "s",
        "Time from a round's opening to its confirmed commit.");

    public static void Outcome(string outcome) => Decided.Add(1, new KeyValuePair<string, object?>("supplyoracle.outcome", outcome));

    public static void Attestation(string verdict) => Attestations.Add(1, new KeyValuePair<string, object?>("supplyoracle.verdict", verdict));
}
