using System.Collections.Concurrent;
using SupplyOracle.Aggregator.Intake.Internal;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Intake;

/// <summary>
/// Takes signed observation batches in (PROTOCOL.md sections 3, 4, 5 and 7): checks the shape, the EIP-712 signature
/// against the registered reporter set, the round schedule and the canonical block <c>B_r</c>; drops duplicates; detects
/// equivocation; and records every accepted or rejected batch as an event. Thread-safe: batches of different rounds and
/// the signature checks run in parallel; the decision for one round is serialized.
/// </summary>
public sealed class ObservationIntake
{
    private readonly IEventStore _store;
    private readonly EventTypeMap _map;
    private readonly SupplyOracleTypedData _typedData;
    private readonly IIntakeViewSource _views;
    private readonly ICanonicalChain _chain;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ulong, RoundIntakeState> _rounds = new();

    /// <summary>Creates the intake.</summary>
    /// <param name="store">Where events go.</param>
    /// <param name="map">The event type map; the intake events are registered on it if they are not yet.</param>
    /// <param name="typedData">This oracle's EIP-712 domain (chain id and contract).</param>
    /// <param name="views">The reporter set and schedule from the contract.</param>
    /// <param name="chain">The canonical chain.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    public ObservationIntake(IEventStore store, EventTypeMap map, SupplyOracleTypedData typedData, IIntakeViewSource views,
        ICanonicalChain chain, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(typedData);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _store = store;
        _map = map;
        _typedData = typedData;
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
        var parsed = BatchCheck.Parse(batch, _typedData, out var rejection);
        if (parsed is null)
        {
            return await RejectAsync(batch, null, null, rejection, peer, cancellationToken).ConfigureAwait(false);
        }

        if (!BatchCheck.CheckSchedule(parsed, view, out rejection))
        {
            return await RejectAsync(batch, parsed, null, rejection, peer, cancellationToken).ConfigureAwait(false);
        }

        var signer = BatchCheck.Authenticate(parsed, view, _typedData, out rejection, out var recovered);
        if (signer is not { } reporter)
        {
            return await RejectAsync(batch, parsed, recovered, rejection, peer, cancellationToken).ConfigureAwait(false);
        }

        if (await BatchCheck.CheckChainAsync(parsed, view, _chain, cancellationToken).ConfigureAwait(false) is { } chainRejection)
        {
            return await RejectAsync(batch, parsed, reporter, chainRejection, peer, cancellationToken).ConfigureAwait(false);
        }

        return await RecordAsync(parsed, reporter, peer, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IntakeVerdict> RecordAsync(ParsedBatch batch, Address reporter, string peer, CancellationToken cancellationToken)
    {
        var state = _rounds.GetOrAdd(batch.Round, static _ => new RoundIntakeState());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            state.LastUsed = Environment.TickCount64;
            if (!state.Loaded)
            {
                await LoadAsync(batch.Round, state, cancellationToken).ConfigureAwait(false);
            }

            var stream = new StreamId(IntakeEventNames.RoundStream(batch.Round));
            var accepted = ToAccepted(batch, reporter);
            if (state.SeenDigests.Contains(batch.Digest))
            {
                return BatchCheck.Reject(batch.Digest, batch.Round, RejectReason.Duplicate, "this batch was already received");
            }

            if (state.Equivocators.Contains(reporter) || (state.AcceptedDigests.TryGetValue(reporter, out var first) && first != batch.Digest))
            {
                // PROTOCOL.md section 5: both batches are dropped from the round; the pair is kept as evidence.
                var firstDigest = state.AcceptedDigests[reporter];
                var evidence = new EquivocationDetected(batch.Round, reporter.ToChecksumString(), firstDigest.ToString(), accepted);
                await _store.AppendAsync(stream, ExpectedVersion.Any,
                    [_map.ToEventData(evidence, IntakeIds.For("equivocation", batch.Digest))], cancellationToken).ConfigureAwait(false);
                state.Equivocators.Add(reporter);
                state.SeenDigests.Add(batch.Digest);
                Log.Equivocated(_logger, reporter.ToChecksumString(), batch.Round, firstDigest.ToString(), batch.Digest.ToString());
                return BatchCheck.Reject(batch.Digest, batch.Round, RejectReason.Equivocation,
                    $"reporter {reporter} already signed batch {firstDigest} for round {batch.Round}; both are dropped");
            }

            var result = await _store.AppendAsync(stream, ExpectedVersion.Any,
                [_map.ToEventData(accepted, IntakeIds.For("accepted", batch.Digest))], cancellationToken).ConfigureAwait(false);
            state.AcceptedDigests[reporter] = batch.Digest;
            state.SeenDigests.Add(batch.Digest);
            if (result.AlreadyAppended)
            {
                return BatchCheck.Reject(batch.Digest, batch.Round, RejectReason.Duplicate, "this batch was already received");
            }

            AggregatorTelemetry.Observations.Add(batch.TokenCount);
            Log.Accepted(_logger, accepted.Digest, accepted.Reporter, batch.Round, batch.TokenCount);
            return IntakeVerdict.Accept(batch.Digest, batch.Round);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task LoadAsync(ulong round, RoundIntakeState state, CancellationToken cancellationToken)
    {
        var stream = new StreamId(IntakeEventNames.RoundStream(round));
        await foreach (var recorded in _store.ReadStreamAsync(stream, ReadDirection.Forwards, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            switch (recorded.Type)
            {
                case IntakeEventNames.ObservationAccepted:
                    var accepted = (ObservationAccepted)_map.Deserialize(recorded);
                    var digest = Hash32.Parse(accepted.Digest);
                    state.AcceptedDigests.TryAdd(Address.Parse(accepted.Reporter), digest);
                    state.SeenDigests.Add(digest);
                    break;
                case IntakeEventNames.EquivocationDetected:
                    var equivocation = (EquivocationDetected)_map.Deserialize(recorded);
                    state.Equivocators.Add(Address.Parse(equivocation.Reporter));
                    state.SeenDigests.Add(Hash32.Parse(equivocation.Second.Digest));
                    break;
                default:
                    break;
            }
        }

        state.Loaded = true;
    }

    private async Task<IntakeVerdict> RejectAsync(ObservationBatch batch, ParsedBatch? parsed, Address? recovered, IntakeVerdict verdict,
        string peer, CancellationToken cancellationToken)
    {
        var claimed = batch.Reporter.Length == 0 ? null : Hex.Encode(batch.Reporter.Span);
        var digest = verdict.MessageHash == Hash32.Zero ? null : verdict.MessageHash.ToString();
        var rejected = new ObservationRejected(batch.Round, verdict.Reason.ToString(), verdict.Message, digest, claimed,
            recovered?.ToChecksumString(), peer);
        // The same bytes rejected for the same reason are recorded once (the id is the idempotency key).
        var id = parsed is not null
            ? IntakeIds.For("rejected", parsed.Digest, verdict.Reason.ToString() + parsed.Signature)
            : IntakeIds.ForBytes("rejected-malformed", Google.Protobuf.MessageExtensions.ToByteArray(batch));
        await _store.AppendAsync(new StreamId(IntakeEventNames.RejectionsStream), ExpectedVersion.Any,
            [_map.ToEventData(rejected, id)], cancellationToken).ConfigureAwait(false);
        Log.Rejected(_logger, batch.Round, peer, verdict.Reason, verdict.Message);
        return verdict;
    }

    private static ObservationAccepted ToAccepted(ParsedBatch batch, Address reporter) => new(
        batch.Round, reporter.ToChecksumString(), batch.Digest.ToString(), batch.ReferenceBlock, batch.ReferenceTime,
        batch.ReferenceHash.ToString(), Hex.Encode(batch.Observations), batch.Signature.ToString(), batch.TokenCount);

    private static string VerdictName(IntakeVerdict verdict) => verdict.Accepted ? "accepted" : verdict.Reason.ToString();
}
