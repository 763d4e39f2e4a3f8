using System.Threading.Channels;
using SupplyOracle.Grpc;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Reporter.Telemetry;

namespace SupplyOracle.Reporter.Gossip;

/// <summary>
/// The reporter's peer relay (docs/protocol.md section 4: "forward peers' batches it has not seen"). Hosts
/// <c>Gossip.Relay</c>: every received batch is verified with the shared <see cref="BatchVerifier"/> (structure,
/// reference block, signature, registered signer) and must be for a recent round; what does not verify is never
/// forwarded. Valid batches are deduplicated by (signer, EIP-712 digest) in a bounded seen-set; unseen ones are
/// submitted to every aggregator and relayed to every peer except the one they came from. The reporter's own batch is
/// relayed to its peers through <see cref="PublishOwnAsync"/>. Counts in <see cref="ReporterTelemetry"/>.
/// </summary>
public sealed partial class PeerRelay
{
    /// <summary>Request and response header carrying a relay's node id (loop avoidance: never send back to the sender).</summary>
    public const string NodeHeader = "supplyoracle-relay-node";

    private readonly BatchVerifier _verifier;
    private readonly Func<CancellationToken, ValueTask<RelayView>> _view;
    private readonly IReadOnlyList<AggregatorConnection> _aggregators;
    private readonly IReadOnlyList<PeerLink> _peers;
    private readonly ulong _keepRounds;
    private readonly SeenBatches _seen;
    private readonly ReporterTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly Channel<ObservationBatch> _toAggregators = Channel.CreateUnbounded<ObservationBatch>();

    /// <summary>Creates the relay.</summary>
    /// <param name="nodeId">This relay's id (unique among peers), sent in <see cref="NodeHeader"/>.</param>
    /// <param name="verifier">The deployment's batch verifier.</param>
    /// <param name="view">The current expectations and round (cached by the caller).</param>
    /// <param name="aggregators">Aggregators relayed batches are submitted to.</param>
    /// <param name="peers">Peer links, created with the same <paramref name="nodeId"/>.</param>
    /// <param name="keepRounds">Rounds behind the current one still relayed and remembered (the seen-set bound).</param>
    /// <param name="telemetry">The reporter's instruments.</param>
    /// <param name="logger">Logs rejections with their reason.</param>
    public PeerRelay(string nodeId, BatchVerifier verifier, Func<CancellationToken, ValueTask<RelayView>> view, IReadOnlyList<AggregatorConnection> aggregators,
        IReadOnlyList<PeerLink> peers, ulong keepRounds, ReporterTelemetry telemetry, ILogger<PeerRelay>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeId);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(aggregators);
        ArgumentNullException.ThrowIfNull(peers);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentOutOfRangeException.ThrowIfZero(keepRounds);
        NodeId = nodeId;
        _verifier = verifier;
        _view = view;
        _aggregators = aggregators;
        _peers = peers;
        _keepRounds = keepRounds;
        _seen = new SeenBatches(keepRounds);
        _telemetry = telemetry;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>This relay's node id.</summary>
    public string NodeId { get; }

    /// <summary>The gRPC handler of <c>Gossip.Relay</c> (client streaming; src/Grpc/README.md call shapes).</summary>
    public async Task<RelaySummary> Relay(IGrpcStreamReader<ObservationBatch> requests, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(context);
        await context.WriteResponseHeadersAsync(new Metadata().Add(NodeHeader, NodeId)).ConfigureAwait(false);
        var from = context.RequestHeaders.GetValue(NodeHeader);
        var summary = new RelaySummary();
        while (await requests.MoveNextAsync(context.CancellationToken).ConfigureAwait(false))
        {
            switch (await AcceptAsync(requests.Current, from, context.CancellationToken).ConfigureAwait(false))
            {
                case RelayOutcome.Forwarded:
                    summary.Accepted++;
                    break;
                case RelayOutcome.Duplicate:
                    summary.Duplicates++;
                    break;
                default:
                    summary.Rejected++;
                    break;
            }
        }
        return summary;
    }

    /// <summary>Relays the reporter's own signed batch to its peers (the aggregators already get it on their streams).</summary>
    public async Task PublishOwnAsync(ObservationBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcome = await AcceptAsync(batch, from: NodeId, cancellationToken, toAggregators: false).ConfigureAwait(false);
        if (outcome == RelayOutcome.Rejected)
        {
            Log.OwnBatchNotRelayed(_logger, batch.Round);
        }
    }

    /// <summary>Runs the peer links and the aggregator submissions until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var links = _peers.Select(p => p.RunAsync(cancellationToken)).ToList();
        try
        {
            await foreach (var batch in _toAggregators.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await Task.WhenAll(_aggregators.Select(a => SubmitAsync(a, batch, cancellationToken))).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
        await Task.WhenAll(links).ConfigureAwait(false);
    }

    /// <summary>Verifies, deduplicates and queues one batch; <paramref name="from"/> is the sending relay's node id.</summary>
    internal async Task<RelayOutcome> AcceptAsync(ObservationBatch batch, string? from, CancellationToken cancellationToken, bool toAggregators = true)
    {
        var view = await _view(cancellationToken).ConfigureAwait(false);
        _seen.Prune(view.CurrentRound);
        var result = _verifier.Verify(batch, view.Expectations);
        if (!result.IsValid)
        {
            return Rejected(batch.Round, result.Rejection.Reason.ToString(), result.Rejection.Message);
        }
        // Only recent rounds are relayed: older ones are useless to aggregators (docs/protocol.md section 4) and the seen-set
        // forgets them; more than one round ahead of the head cannot be observed yet (section 3).
        var oldest = view.CurrentRound > _keepRounds ? view.CurrentRound - _keepRounds : 0;
        if (batch.Round < oldest || batch.Round > view.CurrentRound + 1)
        {
            return Rejected(batch.Round, nameof(RejectReason.StaleRound), $"round {batch.Round} is outside [{oldest}, {view.CurrentRound + 1}]");
        }
        var signed = result.Value;
        switch (_seen.TryAdd(batch.Round, signed.Reporter, signed.Digest))
        {
            case SeenResult.Duplicate:
                _telemetry.RelayOutcome("duplicate");
                return RelayOutcome.Duplicate;
            case SeenResult.TooManyFromSigner:
                return Rejected(batch.Round, nameof(RejectReason.Equivocation),
                    $"{signed.Reporter} already has {SeenBatches.PerSignerAndRound} different batches in round {batch.Round}; the first two are relayed as evidence");
        }
        // Forward exactly the verified bytes (SignedBatch.ToProto), never fields the verifier did not read.
        var forwarded = signed.ToProto();
        if (toAggregators)
        {
            _toAggregators.Writer.TryWrite(forwarded);
        }
        foreach (var peer in _peers)
        {
            if (from is null || peer.PeerNodeId != from)
            {
                peer.Enqueue(forwarded);
            }
        }
        _telemetry.RelayOutcome("forwarded");
        return RelayOutcome.Forwarded;
    }

    private RelayOutcome Rejected(ulong round, string reason, string detail)
    {
        _telemetry.RelayOutcome("rejected", reason);
        Log.Rejected(_logger, round, reason, detail);
        return RelayOutcome.Rejected;
    }

    private async Task SubmitAsync(AggregatorConnection aggregator, ObservationBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            var ack = await aggregator.SubmitAsync(batch, cancellationToken).ConfigureAwait(false);
            if (!ack.Accepted && ack.Reason != RejectReason.Duplicate)
            {
                Log.AggregatorRejected(_logger, aggregator.Name, batch.Round, ack.Reason.ToString(), ack.Message);
            }
        }
        catch (Exception ex) when (ex is GrpcStatusException or IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // Best effort: the signer's own stream to that aggregator resends until acknowledged.
            Log.SubmitFailed(_logger, aggregator.Name, batch.Round, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(620, LogLevel.Warning, "Relayed batch for round {Round} rejected ({Reason}): {Detail}")]
        public static partial void Rejected(ILogger logger, ulong round, string reason, string detail);

        [LoggerMessage(621, LogLevel.Warning, "Aggregator {Aggregator} rejected a relayed round {Round} batch ({Reason}): {Detail}")]
        public static partial void AggregatorRejected(ILogger logger, string aggregator, ulong round, string reason, string detail);

        [LoggerMessage(622, LogLevel.Warning, "Submitting a relayed round {Round} batch to {Aggregator} failed")]
        public static partial void SubmitFailed(ILogger logger, string aggregator, ulong round, Exception exception);

        [LoggerMessage(623, LogLevel.Warning, "Our own round {Round} batch was not relayed to peers (see the rejection above)")]
        public static partial void OwnBatchNotRelayed(ILogger logger, ulong round);
    }
}

/// <summary>What the relay did with one received batch.</summary>
internal enum RelayOutcome
{
    /// <summary>New and valid: forwarded.</summary>
    Forwarded,

    /// <summary>Already seen (same signer and digest).</summary>
    Duplicate,

    /// <summary>Did not verify or not for a recent round: not forwarded.</summary>
    Rejected,
}
