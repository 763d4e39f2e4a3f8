using System.Collections.Concurrent;
using SupplyOracle.Aggregator.Intake.Internal;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Contracts.Bindings.Primitives;
using Marten;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Intake;

/// <summary>
/// Takes signed observation batches in (docs/protocol.md sections 3, 4, 5 and 7): checks the shape, the EIP-712 signature
/// against the registered reporter set, the round schedule and the canonical block <c>B_r</c>; drops duplicates; detects
/// equivocation; and records every accepted or rejected batch as an event. Thread-safe: batches of different rounds and
/// the signature checks run in parallel; the decision for one round is serialized.
/// </summary>
public sealed class ObservationIntake
{
    private readonly IDocumentStore _store;
    private readonly BatchVerifier _verifier;
    private readonly IIntakeViewSource _views;
    private readonly ICanonicalChain _chain;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ulong, RoundIntakeState> _rounds = new();

    /// <summary>Creates the intake.</summary>
    /// <param name="store">Where events go (Marten, configured with <see cref="AggregatorEvents"/>).</param>
    /// <param name="verifier">The protocol layer's batch verifier for this deployment (its EIP-712 domain).</param>
    /// <param name="views">The reporter set and schedule from the contract.</param>
    /// <param name="chain">The canonical chain.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    public ObservationIntake(IDocumentStore store, BatchVerifier verifier, IIntakeViewSource views,
        ICanonicalChain chain, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _store = store;
        _verifier = verifier;
        _views = views;
        _chain = chain;
        _time = time;
        _logger = loggerFactory.CreateLogger<ObservationIntake>();
    }

    /// <summary>
    /// Checks and records one batch and returns the verdict to acknowledge it with. The verdict is returned only after
    /// the event is durable, so an accepted acknowledgement never loses its observation.
    /// </summary>
    /// <exception cref="Marten.Exceptions.MartenException">The log could not be written (nothing is acknowledged).</exception>
    public async Task<IntakeVerdict> SubmitAsync(ObservationBatch batch, string peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(peer);
        var started = _time.GetTimestamp();
        using var activity = AggregatorTelemetry.Source.StartActivity("intake.submit");
        var verdict = await DecideAsync(batch, peer, cancellationToken).ConfigureAwait(false);
        activity?.SetTag("supplyoracle.round", batch.Round);
        activity?.SetTag("supplyoracle.verdict", VerdictName(verdict));
        AggregatorTelemetry.Batches.Add(1, new KeyValuePair<string, object?>("supplyoracle.verdict", VerdictName(verdict)));
        AggregatorTelemetry.IntakeDuration.Record(_time.GetElapsedTime(started).TotalSeconds);
        return verdict;
    }

    private async Task<IntakeVerdict> DecideAsync(ObservationBatch batch, string peer, CancellationToken cancellationToken)
    {
        var view = await _views.GetAsync(cancellationToken).ConfigureAwait(false);
        // Shape, B_r = r * roundBlocks, EIP-712 signature (EIP-2 low s) and registered signer: the protocol layer.
        var result = _verifier.Verify(batch, new BatchExpectations(view.RoundBlocks, view.Reporters));
        if (!result.IsValid)
        {
            var verdict = new IntakeVerdict(result.MessageHash ?? Hash32.Zero, batch.Round, result.Rejection.Reason, result.Rejection.Message);
            return await RejectAsync(batch, verdict, peer, cancellationToken).ConfigureAwait(false);
        }

        var signed = result.Value;
        var rejection = BatchCheck.CheckOpen(signed, view)
            ?? await BatchCheck.CheckChainAsync(signed, view, _chain, cancellationToken).ConfigureAwait(false);
        if (rejection is { } rejected)
        {
            return await RejectAsync(batch, rejected, peer, cancellationToken, signed.Reporter).ConfigureAwait(false);
        }

        return await RecordAsync(signed, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IntakeVerdict> RecordAsync(SignedBatch batch, CancellationToken cancellationToken)
    {
        var reporter = batch.Reporter;
        var round = batch.Header.Round.Value;
        var state = _rounds.GetOrAdd(round, static _ => new RoundIntakeState());
        // One decision per round at a time in this process (fewer conflicts); across replicas the expected version decides.
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            state.LastUsed = Environment.TickCount64;
            var accepted = ToAccepted(batch);
            var checksum = reporter.ToChecksumString();
            var firstDigest = "";
            string? decided = null;
            var verdict = await RoundAppender.DecideAsync(_store, round, ledger =>
            {
                if (ledger.Seen.Contains(RoundLedger.BatchKey(checksum, accepted.Digest)))
                {
                    return (NoEvents, Decision.Duplicate);
                }

                decided = ledger.Decision;
                if (ledger.Equivocators.Contains(checksum) || ledger.Accepted.ContainsKey(checksum))
                {
                    // docs/protocol.md section 5: while the round is open both batches are dropped from it; once it is
                    // decided the decision stands (a proposal is rebuilt from the batches accepted before it) and the
                    // pair is evidence only.
                    firstDigest = ledger.Accepted.GetValueOrDefault(checksum, "");
                    var evidence = new EquivocationDetected(round, checksum, firstDigest, accepted);
                    return ([evidence], Decision.Equivocation);
                }

                // A batch arriving after the round's decision can no longer be used: it is not accepted. The append
                // expects the version the ledger was read at, so an accepted batch was in the log before any decision.
                return decided is null ? ([accepted], Decision.Accepted) : (NoEvents, Decision.Stale);
            }, cancellationToken).ConfigureAwait(false);
            switch (verdict)
            {
                case Decision.Duplicate:
                    return BatchCheck.Reject(batch.Digest, round, RejectReason.Duplicate, "this batch was already received");
                case Decision.Equivocation:
                    Log.Equivocated(_logger, checksum, round, firstDigest, batch.Digest.ToString());
                    return BatchCheck.Reject(batch.Digest, round, RejectReason.Equivocation, decided is null
                        ? $"reporter {reporter} already signed batch {firstDigest} for round {round}; both are dropped from the round and kept as evidence"
                        : $"reporter {reporter} already signed batch {firstDigest} for round {round}, and the round was {decided}; that decision stands (this batch is not used) and the pair is kept as evidence");
                case Decision.Stale:
                    return BatchCheck.Reject(batch.Digest, round, RejectReason.StaleRound, $"round {round} was {decided}; a batch arriving now is not used");
                default:
                    AggregatorTelemetry.Observations.Add(batch.Observations.Count);
                    Log.Accepted(_logger, accepted.Digest, accepted.Reporter, round, batch.Observations.Count);
                    return IntakeVerdict.Accept(batch.Digest, round);
            }
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private static readonly IReadOnlyList<object> NoEvents = [];

    private enum Decision
    {
        Accepted,
        Duplicate,
        Equivocation,
        Stale,
    }

    private async Task<IntakeVerdict> RejectAsync(ObservationBatch batch, IntakeVerdict verdict, string peer, CancellationToken cancellationToken,
        Address? signer = null)
    {
        var claimed = batch.Reporter.Length == 0 ? null : Hex.Encode(batch.Reporter.Span);
        var digest = verdict.MessageHash == Hash32.Zero ? null : verdict.MessageHash.ToString();
        var rejected = new ObservationRejected(batch.Round, verdict.Reason.ToString(), verdict.Message, digest, claimed, signer?.ToChecksumString(), peer);
        // Rejections share one stream and need no decision: appended with no expectation (Marten serializes them), and
        // once per batch and reason. docs/protocol.md section 4: a batch is identified by (signer, digest); a batch whose
        // signer or digest could not be established is identified by its bytes. A retry, a copy relayed by another peer
        // or another replica's intake of the same batch is not recorded again.
        var identity = signer is { } s && digest is not null
            ? $"{s.ToChecksumString().ToLowerInvariant()}/{digest}"
            : "bytes/" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Google.Protobuf.MessageExtensions.ToByteArray(batch)));
        if (await RoundAppender.AppendOnceAsync(_store, IntakeEventNames.RejectionsStream, $"rejected/{verdict.Reason}/{identity}", [rejected], cancellationToken)
            .ConfigureAwait(false))
        {
            Log.Rejected(_logger, batch.Round, peer, verdict.Reason, verdict.Message);
        }

        return verdict;
    }

    private static ObservationAccepted ToAccepted(SignedBatch batch) => new(
        batch.Header.Round.Value, batch.Reporter.ToChecksumString(), batch.Digest.ToString(), batch.Header.ReferenceBlock, batch.Header.ReferenceTime,
        batch.Header.ReferenceHash.ToString(), Hex.Encode(batch.ObservationBytes), batch.Signature.ToString(), batch.Observations.Count);

    private static string VerdictName(IntakeVerdict verdict) => verdict.Accepted ? "accepted" : verdict.Reason.ToString();
}
