using System.Diagnostics;
using System.Diagnostics.Metrics;
using SupplyOracle.Reporter.Supply;

namespace SupplyOracle.Reporter.Telemetry;

/// <summary>
/// The reporter's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named <see cref="Name"/>: rounds
/// observed and skipped (by reason), RPC latency, endpoint disagreements, attestations given and refused, peer batches relayed (STYLE.md 8).
/// </summary>
public sealed class ReporterTelemetry : IDisposable
{
    /// <summary>The Meter and ActivitySource name.</summary>
    public const string Name = "SupplyOracle.Reporter";

    private readonly Meter _meter;
    private readonly Counter<long> _roundsObserved;
    private readonly Counter<long> _tokensSkipped;
    private readonly Histogram<double> _rpcLatency;
    private readonly Counter<long> _disagreements;
    private readonly Counter<long> _attestationsGiven;
    private readonly Counter<long> _attestationsRefused;
    private readonly Counter<long> _relayed;

    /// <summary>Creates the instruments (through a factory when one is given, so tests can isolate them).</summary>
    public ReporterTelemetry(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(Name) ?? new Meter(Name);
        _roundsObserved = _meter.CreateCounter<long>("supplyoracle.reporter.rounds.observed", "{round}", "Rounds observed and signed.");
        _tokensSkipped = _meter.CreateCounter<long>("supplyoracle.reporter.tokens.skipped", "{token}", "Tokens left out of a round, by reason.");
        _rpcLatency = _meter.CreateHistogram<double>("supplyoracle.reporter.rpc.duration", "s", "Wall time of one endpoint's pinned supply read.");
        _disagreements = _meter.CreateCounter<long>("supplyoracle.reporter.rpc.disagreements", "{token}", "Tokens whose figures differed between RPC endpoints.");
        _attestationsGiven = _meter.CreateCounter<long>("supplyoracle.reporter.attestations.given", "{attestation}", "Reports attested.");
        _attestationsRefused = _meter.CreateCounter<long>("supplyoracle.reporter.attestations.refused", "{attestation}", "Proposals refused, by reason.");
        _relayed = _meter.CreateCounter<long>("supplyoracle.reporter.relay.batches", "{batch}", "Peer batches by outcome (forwarded, duplicate, rejected with reason).");
        // Every series the dashboard and alert rules read exists from start-up at 0 (Prometheus practice: a series
        // that appears only with its first increment hides that increment from rate() and increase()); the skip
        // reasons are a closed set, so each gets its own series.
        _roundsObserved.Add(0);
        _disagreements.Add(0);
        _attestationsGiven.Add(0);
        _attestationsRefused.Add(0, new KeyValuePair<string, object?>("reason", "none"));
        foreach (var reason in Enum.GetValues<SupplySkipReason>())
        {
            _tokensSkipped.Add(0, new KeyValuePair<string, object?>("reason", reason.ToString()));
        }
    }

    /// <summary>This instance's Meter (tests listen to it alone).</summary>
    internal Meter Meter => _meter;

    /// <summary>The reporter's ActivitySource.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Counts a round observed.</summary>
    public void RoundObserved() => _roundsObserved.Add(1);

    /// <summary>Counts a skipped token with its reason.</summary>
    public void TokenSkipped(SupplySkipReason reason) => _tokensSkipped.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));

    /// <summary>Records one endpoint's read duration.</summary>
    public void RpcRead(string endpoint, TimeSpan elapsed, bool succeeded) => _rpcLatency.Record(elapsed.TotalSeconds,
        new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("outcome", succeeded ? "ok" : "error"));

    /// <summary>Counts a token on which endpoints disagreed.</summary>
    public void EndpointDisagreement() => _disagreements.Add(1);

    /// <summary>Counts an attestation given.</summary>
    public void AttestationGiven() => _attestationsGiven.Add(1);

    /// <summary>Counts a refused proposal with its reason.</summary>
    public void AttestationRefused(string reason) => _attestationsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts a batch handled by the peer relay: outcome forwarded, duplicate or rejected (with the reason).</summary>
    public void RelayOutcome(string outcome, string? reason = null) => _relayed.Add(1,
        new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason ?? "none"));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
