using System.Collections.Concurrent;
using SupplyOracle.Aggregator.Intake.Internal;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;
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
    private readonly IEventStore _store;
    private readonly EventTypeMap _map;
    private readonly BatchVerifier _verifier;
    private readonly IIntakeViewSource _views;
    private readonly ICanonicalChain _chain;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ulong, RoundIntakeState> _rounds = new();

    /// <summary>Creates the intake.</summary>
    /// <param name="store">Where events go.</param>
    /// <param name="map">The event type map; the intake events are registered on it if they are not yet.</param>
    /// <param name="verifier">The protocol layer's batch verifier for this deployment (its EIP-712 domain).</param>
    /// <param name="views">The reporter set and schedule from the contract.</param>
    /// <param name="chain">The canonical chain.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    public ObservationIntake(IEventStore store, EventTypeMap map, BatchVerifier verifier, IIntakeViewSource views,
        ICanonicalChain chain, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _store = store;
        // The round's decision events are read too: a batch arriving after the decision is not accepted.
        _map = map.RegisterIntakeEvents().RegisterRoundEvents();
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
    /// <exception cref="EventStore.Errors.EventStoreDatabaseException">The log could not be written (nothing is acknowledged).</exception>
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
        var round = batch.Header.Round.Value;
        var state = _rounds.GetOrAdd(round, static _ => new RoundIntakeState());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            state.LastUsed = Environment.TickCount64;
            for (var attempt = 1; ; attempt++)
            {
                if (!state.Loaded)
                {
                    await LoadAsync(round, state, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    return await DecideLoadedAsync(batch, state, cancellationToken).ConfigureAwait(false);
                }
                catch (WrongExpectedVersionException) when (attempt < MaxAppendAttempts)
                {
                    // Another writer (the round closer, a replica's intake) appended meanwhile: read what it wrote
                    // (perhaps the round's decision) and decide again.
                    state.Loaded = false;
                }
            }
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private const int MaxAppendAttempts = 5;

    // An accepted batch is appended expecting the stream version last read, so it lands before any decision of the
    // round (the closer appends expecting its own read version too): an accepted acknowledgement means the batch was
    // in the log when the round was decided.
    private async Task<IntakeVerdict> DecideLoadedAsync(SignedBatch batch, RoundIntakeState state, CancellationToken cancellationToken)
    {
        var reporter = batch.Reporter;
        var round = batch.Header.Round.Value;
        var stream = new StreamId(IntakeEventNames.RoundStream(round));
        var accepted = ToAccepted(batch);
        if (state.Seen.Contains((reporter, batch.Digest)))
        {
            return BatchCheck.Reject(batch.Digest, round, RejectReason.Duplicate, "this batch was already received");
        }

        if (state.Equivocators.Contains(reporter) || (state.AcceptedDigests.TryGetValue(reporter, out var first) && first != batch.Digest))
        {
            var firstDigest = state.AcceptedDigests[reporter];
            var evidence = new EquivocationDetected(round, reporter.ToChecksumString(), firstDigest.ToString(), accepted);
            await _store.AppendAsync(stream, ExpectedVersion.Any,
                [_map.ToEventData(evidence, IntakeIds.For("equivocation", batch.Digest, reporter.ToString()))], cancellationToken).ConfigureAwait(false);
            state.Equivocators.Add(reporter);
            state.Seen.Add((reporter, batch.Digest));
            Log.Equivocated(_logger, reporter.ToChecksumString(), round, firstDigest.ToString(), batch.Digest.ToString());
            // docs/protocol.md section 5: while the round is open both batches are dropped from it; once it is decided the
            // decision stands (a proposal is rebuilt from the batches accepted before it) and the pair is evidence only.
            return BatchCheck.Reject(batch.Digest, round, RejectReason.Equivocation, state.Decision is null
                ? $"reporter {reporter} already signed batch {firstDigest} for round {round}; both are dropped from the round and kept as evidence"
                : $"reporter {reporter} already signed batch {firstDigest} for round {round}, and the round was {state.Decision}; that decision stands (this batch is not used) and the pair is kept as evidence");
        }

        if (state.Decision is { } decision)
        {
            return BatchCheck.Reject(batch.Digest, round, RejectReason.StaleRound, $"round {round} was {decision}; a batch arriving now is not used");
        }

        var expected = state.Version is { } version ? ExpectedVersion.Exact(version) : ExpectedVersion.NoStream;
        var result = await _store.AppendAsync(stream, expected,
            [_map.ToEventData(accepted, IntakeIds.For("accepted", batch.Digest, reporter.ToString()))], cancellationToken).ConfigureAwait(false);
        state.AcceptedDigests[reporter] = batch.Digest;
        state.Seen.Add((reporter, batch.Digest));
        state.Version = result.StreamVersion;
        if (result.AlreadyAppended)
        {
            return BatchCheck.Reject(batch.Digest, round, RejectReason.Duplicate, "this batch was already received");
        }

        AggregatorTelemetry.Observations.Add(batch.Observations.Count);
        Log.Accepted(_logger, accepted.Digest, accepted.Reporter, round, batch.Observations.Count);
        return IntakeVerdict.Accept(batch.Digest, round);
    }

    // Reads the round's stream from the last version read on (the whole stream the first time).
    private async Task LoadAsync(ulong round, RoundIntakeState state, CancellationToken cancellationToken)
    {
        var stream = new StreamId(IntakeEventNames.RoundStream(round));
        await foreach (var recorded in _store.ReadStreamAsync(stream, ReadDirection.Forwards, state.Version + 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            state.Version = recorded.Version;
            switch (recorded.Type)
            {
                case IntakeEventNames.ObservationAccepted:
                    var accepted = (ObservationAccepted)_map.Deserialize(recorded);
                    var digest = Hash32.Parse(accepted.Digest);
                    var acceptedReporter = Address.Parse(accepted.Reporter);
                    state.AcceptedDigests.TryAdd(acceptedReporter, digest);
                    state.Seen.Add((acceptedReporter, digest));
                    break;
                case IntakeEventNames.EquivocationDetected:
                    var equivocation = (EquivocationDetected)_map.Deserialize(recorded);
                    var equivocator = Address.Parse(equivocation.Reporter);
                    state.Equivocators.Add(equivocator);
                    state.Seen.Add((equivocator, Hash32.Parse(equivocation.Second.Digest)));
                    break;
                case RoundEventNames.RoundProposed:
                    state.Decision ??= $"already proposed (report {((RoundProposed)_map.Deserialize(recorded)).ReportDigest}, computed from the batches accepted before it)";
                    break;
                case RoundEventNames.RoundAbandoned:
                    state.Decision ??= $"abandoned ({((RoundAbandoned)_map.Deserialize(recorded)).Reason})";
                    break;
                default:
                    break;
            }
        }

        state.Loaded = true;
    }

    private async Task<IntakeVerdict> RejectAsync(ObservationBatch batch, IntakeVerdict verdict, string peer, CancellationToken cancellationToken,
        Address? signer = null)
    {
        var claimed = batch.Reporter.Length == 0 ? null : Hex.Encode(batch.Reporter.Span);
        var digest = verdict.MessageHash == Hash32.Zero ? null : verdict.MessageHash.ToString();
        var rejected = new ObservationRejected(batch.Round, verdict.Reason.ToString(), verdict.Message, digest, claimed, signer?.ToChecksumString(), peer);
        // The same bytes rejected for the same reason are recorded once (the id is the idempotency key).
        var id = IntakeIds.ForBytes("rejected/" + verdict.Reason, Google.Protobuf.MessageExtensions.ToByteArray(batch));
        await _store.AppendAsync(new StreamId(IntakeEventNames.RejectionsStream), ExpectedVersion.Any,
            [_map.ToEventData(rejected, id)], cancellationToken).ConfigureAwait(false);
        Log.Rejected(_logger, batch.Round, peer, verdict.Reason, verdict.Message);
        return verdict;
    }

    private static ObservationAccepted ToAccepted(SignedBatch batch) => new(
        batch.Header.Round.Value, batch.Reporter.ToChecksumString(), batch.Digest.ToString(), batch.Header.ReferenceBlock, batch.Header.ReferenceTime,
        batch.Header.ReferenceHash.ToString(), Hex.Encode(batch.ObservationBytes), batch.Signature.ToString(), batch.Observations.Count);

    private static string VerdictName(IntakeVerdict verdict) => verdict.Accepted ? "accepted" : verdict.Reason.ToString();
}
