using System.Threading.Channels;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.EventSourcing;
using Grpc.Core;
using SupplyOracle.Aggregator.Intake.Internal;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Intake;

/// <summary>
/// The aggregator's side of the <c>supplyoracle.v1.Gossip</c> service (proto/supplyoracle/v1/gossip.proto): every
/// observation batch, whichever call carries it, goes through <see cref="ObservationIntake"/> and is answered with its
/// verdict. A generated <see cref="Gossip.GossipBase"/> (Grpc.Tools) mapped by <c>AggregatorWebHost</c>; exceptions become
/// statuses in <c>ServerCallInterceptor</c> (an event log that cannot be written is UNAVAILABLE: retry elsewhere).
/// </summary>
public sealed class GossipService : Gossip.GossipBase
{
    private readonly ObservationIntake _intake;
    private readonly ProposalHub? _proposals;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private int _openStreams;

    /// <summary>Creates the service.</summary>
    /// <param name="intake">Where observation batches go.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="proposals">The round loop's open proposals; null when this aggregator does not propose (intake only).</param>
    public GossipService(ObservationIntake intake, ILoggerFactory loggerFactory, ProposalHub? proposals = null)
    {
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _intake = intake;
        _proposals = proposals;
        _logger = loggerFactory.CreateLogger<GossipService>();
    }

    /// <summary>Reporter streams (<see cref="Connect"/>) open on this replica now.</summary>
    public int OpenStreams => Volatile.Read(ref _openStreams);

    /// <summary>
    /// Unary fallback: one batch, its verdict. A log that cannot be written throws a transient store error (<see cref="EventConflicts.IsTransient"/>),
    /// which the interceptor answers UNAVAILABLE (grpc doc/statuscodes.md: the retryable "currently unavailable").
    /// </summary>
    public override async Task<Acknowledgement> Submit(ObservationBatch request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var verdict = await _intake.SubmitAsync(request, context.Peer, context.CancellationToken).ConfigureAwait(false);
        return verdict.ToAcknowledgement();
    }

    /// <summary>Peers forward batches they have not seen (docs/protocol.md section 4): each is taken in like any other.</summary>
    public override async Task<RelaySummary> Relay(IAsyncStreamReader<ObservationBatch> requestStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        var summary = new RelaySummary();
        while (await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var verdict = await SubmitOrUnavailableAsync(requestStream.Current, context).ConfigureAwait(false);
            if (verdict.Accepted)
            {
                summary.Accepted++;
            }
            else if (verdict.Reason == RejectReason.Duplicate)
            {
                summary.Duplicates++;
            }
            else
            {
                summary.Rejected++;
            }
        }

        return summary;
    }

    /// <summary>
    /// The long-lived reporter stream: each observation batch is acknowledged with its verdict, in order; open proposals
    /// are pushed down (at once on connect, then as they are made); attestations are verified, recorded and acknowledged
    /// (UNKNOWN_PROPOSAL while no proposal of the round is open); refusals are recorded. One writer task owns the response
    /// stream, so acknowledgements and pushed proposals never interleave mid-message.
    /// </summary>
    public override async Task Connect(IAsyncStreamReader<ReporterMessage> requestStream, IServerStreamWriter<AggregatorMessage> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        // Response headers at once, before anything else can write: the reporter learns the stream is up before it
        // has a batch to send, and reports it on /health/ready (issue 19 item 3; gRPC PROTOCOL-HTTP2.md "Response-Headers").
        await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
        Interlocked.Increment(ref _openStreams);
        var outgoing = Channel.CreateUnbounded<AggregatorMessage>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _stopping.Token);
        var writer = WriteAllAsync(outgoing.Reader, responseStream, stop.Token);
        using var subscription = _proposals?.Subscribe(outgoing.Writer);
        try
        {
            while (await requestStream.MoveNext(stop.Token).ConfigureAwait(false))
            {
                var message = requestStream.Current;
                switch (message.KindCase)
                {
                    case ReporterMessage.KindOneofCase.Observation:
                        var verdict = await SubmitOrUnavailableAsync(message.Observation, context).ConfigureAwait(false);
                        outgoing.Writer.TryWrite(new AggregatorMessage { Acknowledgement = verdict.ToAcknowledgement() });
                        break;
                    case ReporterMessage.KindOneofCase.Attestation:
                        outgoing.Writer.TryWrite(new AggregatorMessage { Acknowledgement = await AttestOrUnavailableAsync(message.Attestation, context).ConfigureAwait(false) });
                        break;
                    case ReporterMessage.KindOneofCase.ProposalVerdict when _proposals is not null:
                        await RecordRefusalAsync(message.ProposalVerdict, context).ConfigureAwait(false);
                        break;
                    default:
                        Log.IgnoredMessage(_logger, context.Peer, message.KindCase.ToString());
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // the service is stopping: end the stream so the host can shut down; the reporter reconnects elsewhere or later
        }
        finally
        {
            Interlocked.Decrement(ref _openStreams);
            outgoing.Writer.TryComplete();
            subscription?.Dispose();
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the call ended
            }
        }
    }

    /// <summary>
    /// Ends every open Connect stream (call before stopping the host: a long-lived stream would otherwise hold the
    /// shutdown until the host's timeout). Later calls still work until the host stops listening.
    /// </summary>
    public void CompleteStreams() => _stopping.Cancel();

    private static async Task WriteAllAsync(ChannelReader<AggregatorMessage> outgoing, IServerStreamWriter<AggregatorMessage> responses, CancellationToken cancellationToken)
    {
        await foreach (var message in outgoing.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Acknowledgement> AttestOrUnavailableAsync(Attestation attestation, ServerCallContext context)
    {
        if (_proposals is null)
        {
            return new Acknowledgement
            {
                MessageHash = attestation.ReportDigest,
                Round = attestation.Round,
                Reason = RejectReason.UnknownProposal,
                Message = $"no open proposal '{attestation.ProposalId}' on this aggregator",
            };
        }

        try
        {
            return await _proposals.AttestAsync(attestation, context.Peer, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (EventConflicts.IsTransient(e))
        {
            Log.LogUnavailable(_logger, attestation.Round, e);
            return new Acknowledgement
            {
                MessageHash = attestation.ReportDigest,
                Round = attestation.Round,
                Reason = RejectReason.Unavailable,
                Message = "the aggregator's event log is unavailable; nothing was recorded, send again",
            };
        }
    }

    private async Task RecordRefusalAsync(Acknowledgement verdict, ServerCallContext context)
    {
        try
        {
            await _proposals!.RefusedAsync(verdict, context.Peer, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (EventConflicts.IsTransient(e))
        {
            Log.LogUnavailable(_logger, verdict.Round, e);
        }
    }

    private async Task<IntakeVerdict> SubmitOrUnavailableAsync(ObservationBatch batch, ServerCallContext context)
    {
        try
        {
            return await _intake.SubmitAsync(batch, context.Peer, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (EventConflicts.IsTransient(e))
        {
            Log.LogUnavailable(_logger, batch.Round, e);
            return new IntakeVerdict(default, batch.Round, RejectReason.Unavailable, "the aggregator's event log is unavailable; nothing was recorded, send again");
        }
    }
}
