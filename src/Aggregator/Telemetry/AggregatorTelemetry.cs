using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SupplyOracle.Aggregator.Telemetry;

/// <summary>
/// The aggregator's one <see cref="Meter"/> and <see cref="ActivitySource"/>, both <c>SupplyOracle.Aggregator</c>.
/// Names follow the OpenTelemetry conventions (REFERENCES.md "Naming"): dot-namespaced, units in UCUM, no <c>_total</c>,
/// durations in seconds, low-cardinality attributes only (never addresses or round numbers).
/// </summary>
public static class AggregatorTelemetry
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "SupplyOracle.Aggregator";

    /// <summary>The attribute naming the projection on the query instruments.</summary>
    public const string ProjectionAttribute = "projection";

    /// <summary>The attribute naming how a round ended (<c>confirmed</c>, <c>abandoned</c>, <c>superseded</c>, <c>failed</c>).</summary>
    public const string OutcomeAttribute = "supplyoracle.outcome";

    /// <summary>The attribute naming the token (a checksummed address: bounded by the oracle's listed tokens).</summary>
    public const string TokenAttribute = "token";

    private static readonly ConcurrentDictionary<object, Func<ProjectionMeasurements?>> s_projections = new();
    private static readonly ConcurrentDictionary<object, Func<ChainMeasurements?>> s_chain = new();

    internal static readonly ActivitySource Source = new(Name, "1.0");
    internal static readonly Meter Meter = new(Name, "1.0");

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

    // The query instruments below are observed from the projection's tables (ProjectionMonitor), so they are exact
    // and cumulative over the whole log: a restart or a rebuild neither resets nor double-counts them.

    /// <summary>Events the query projection is behind the log head.</summary>
    internal static readonly ObservableGauge<long> ProjectionLag = Meter.CreateObservableGauge("supplyoracle.projection.lag",
        () => Observe(m => new Measurement<long>(m.Lag, Tag(ProjectionAttribute, m.Projection))), "{event}", "Events the query projection is behind the log head.");

    /// <summary>The last round confirmed on chain by this aggregator.</summary>
    internal static readonly ObservableGauge<long> LastCommittedRound = Meter.CreateObservableGauge("supplyoracle.rounds.last_committed",
        () => Observe(m => new Measurement<long>(m.LastCommittedRound, Tag(ProjectionAttribute, m.Projection))), "{round}", "The last round confirmed on chain.");

    /// <summary>Rounds ended, by outcome.</summary>
    internal static readonly ObservableCounter<long> RoundsEnded = Meter.CreateObservableCounter("supplyoracle.rounds.ended",
        () => ObserveMany(m =>
        [
            new Measurement<long>(m.RoundsConfirmed, Tag(ProjectionAttribute, m.Projection), Tag(OutcomeAttribute, "confirmed")),
            new Measurement<long>(m.RoundsAbandoned, Tag(ProjectionAttribute, m.Projection), Tag(OutcomeAttribute, "abandoned")),
            new Measurement<long>(m.RoundsSuperseded, Tag(ProjectionAttribute, m.Projection), Tag(OutcomeAttribute, "superseded")),
            new Measurement<long>(m.RoundsFailed, Tag(ProjectionAttribute, m.Projection), Tag(OutcomeAttribute, "failed")),
        ]), "{round}", "Rounds ended: confirmed on chain, abandoned, superseded by another commit, or failed.");

    /// <summary>Attestations carried by transmitted commits.</summary>
    internal static readonly ObservableCounter<long> Attestations = Meter.CreateObservableCounter("supplyoracle.attestations",
        () => Observe(m => new Measurement<long>(m.Attestations, Tag(ProjectionAttribute, m.Projection))), "{attestation}", "Reporter attestations carried by transmitted commits.");

    /// <summary>Events of types the query projection does not know (ignored).</summary>
    internal static readonly ObservableCounter<long> IgnoredEvents = Meter.CreateObservableCounter("supplyoracle.query.events.ignored",
        () => Observe(m => new Measurement<long>(m.IgnoredEvents, Tag(ProjectionAttribute, m.Projection))), "{event}", "Events of types the query projection does not know.");

    // Chain-side gauges (ChainGauges): read from the oracle and the sender's account, so every replica reports the same.

    /// <summary>Seconds since each token's last commit, in chain time (attribute <c>token</c>).</summary>
    internal static readonly ObservableGauge<long> CommitAge = Meter.CreateObservableGauge("supplyoracle.token.commit_age",
        () => ObserveChain(m => m.CommitAges.Select(a => new Measurement<long>(checked((long)a.AgeSeconds), Tag(TokenAttribute, a.Token)))),
        "s", "Seconds since the token's last commit, in chain time (head block time minus committedAt).");

    /// <summary>The oracle's <c>reportStaleAfter</c>: a token whose commit is older reads as stale.</summary>
    internal static readonly ObservableGauge<long> ReportStaleAfter = Meter.CreateObservableGauge("supplyoracle.oracle.report_stale_after",
        () => ObserveChain<long>(m => [new Measurement<long>(checked((long)m.ReportStaleAfter))]), "s", "The oracle's reportStaleAfter parameter.");

    /// <summary>The transmitter's balance in ether.</summary>
    internal static readonly ObservableGauge<double> Balance = Meter.CreateObservableGauge("supplyoracle.transmitter.balance",
        () => ObserveChain<double>(m => m.BalanceEther is { } b ? [new Measurement<double>(b)] : []), "{ether}", "The transmitter account's balance, in ether.");

    /// <summary>
    /// Starts at 0 the counter series the shipped dashboard and alert rules read (deploy/monitoring), so that they are in
    /// every scrape from start-up and rate()/increase() see their first increment. Call once the exporters exist.
    /// </summary>
    public static void StartSeries()
    {
        Batches.Add(0, Tag("supplyoracle.verdict", "accepted"));
        Observations.Add(0);
        Transmissions.Add(0, Tag(OutcomeAttribute, "confirmed"));
        Transmissions.Add(0, Tag(OutcomeAttribute, "failed"));
        Replacements.Add(0);
        Reorganisations.Add(0);
        BalanceAlarms.Add(0);
    }

    /// <summary>Registers a source of projection measurements until the returned handle is disposed.</summary>
    internal static IDisposable RegisterProjection(Func<ProjectionMeasurements?> measure)
    {
        var key = new object();
        s_projections[key] = measure;
        return new Registration(() => s_projections.TryRemove(key, out _));
    }

    /// <summary>Registers a source of chain measurements until the returned handle is disposed.</summary>
    internal static IDisposable RegisterChain(Func<ChainMeasurements?> measure)
    {
        var key = new object();
        s_chain[key] = measure;
        return new Registration(() => s_chain.TryRemove(key, out _));
    }

    private static List<Measurement<T>> ObserveChain<T>(Func<ChainMeasurements, IEnumerable<Measurement<T>>> select)
        where T : struct
    {
        var measurements = new List<Measurement<T>>();
        foreach (var source in s_chain.Values)
        {
            if (source() is { } snapshot)
            {
                measurements.AddRange(select(snapshot));
            }
        }

        return measurements;
    }

    private static IEnumerable<Measurement<long>> Observe(Func<ProjectionMeasurements, Measurement<long>> select) =>
        ObserveMany(m => [select(m)]);

    private static List<Measurement<long>> ObserveMany(Func<ProjectionMeasurements, IEnumerable<Measurement<long>>> select)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var source in s_projections.Values)
        {
            if (source() is { } snapshot)
            {
                measurements.AddRange(select(snapshot));
            }
        }

        return measurements;
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    private sealed class Registration(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}

/// <summary>What the projection monitor last read.</summary>
/// <param name="Projection">The projection's name.</param>
/// <param name="Lag">Events behind the head.</param>
/// <param name="LastCommittedRound">The last confirmed round (0: none).</param>
/// <param name="RoundsConfirmed">Rounds confirmed.</param>
/// <param name="RoundsAbandoned">Rounds abandoned.</param>
/// <param name="RoundsSuperseded">Rounds superseded.</param>
/// <param name="RoundsFailed">Rounds whose commit failed.</param>
/// <param name="Attestations">Attestations carried by transmitted commits.</param>
/// <param name="IgnoredEvents">Events of unknown types.</param>
internal sealed record ProjectionMeasurements(string Projection, long Lag, long LastCommittedRound, long RoundsConfirmed, long RoundsAbandoned,
    long RoundsSuperseded, long RoundsFailed, long Attestations, long IgnoredEvents);
