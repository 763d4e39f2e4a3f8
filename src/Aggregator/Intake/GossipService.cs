using SupplyOracle.EventStore.Errors;
using SupplyOracle.Grpc;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Aggregator.Intake.Internal;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Intake;

/// <summary>
/// The aggregator's side of the <c>supplyoracle.v1.Gossip</c> service (proto/supplyoracle/v1/gossip.proto): every
/// observation batch, whichever call carries it, goes through <see cref="ObservationIntake"/> and is answered with its
/// verdict. Register with <c>app.MapGrpcService(GossipReflection.Descriptor.Services[0], gossip)</c>.
/// </summary>
public sealed class GossipService
{
    private readonly ObservationIntake _intake;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public GossipService(ObservationIntake intake, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(intake);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _intake = intake;
        _logger = loggerFactory.CreateLogger<GossipService>();
    }

    /// <summary>Unary fallback: one batch, its verdict. A log that cannot be written is UNAVAILABLE (retry elsewhere).</summary>
    public async Task<Acknowledgement> Submit(ObservationBatch request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var verdict = await _intake.SubmitAsync(request, context.Peer, context.CancellationToken).ConfigureAwait(false);
            return verdict.ToAcknowledgement();
        }
        catch (EventStoreException e)
        {
            // grpc doc/statuscodes.md: UNAVAILABLE is the retryable "service is currently unavailable".
            throw new GrpcStatusException(StatusCode.Unavailable, "the aggregator's event log is unavailable; nothing was recorded", innerException: e);
        }
    }

    /// <summary>Peers forward batches they have not seen (PROTOCOL.md section 4): each is taken in like any other.</summary>
    public async Task<RelaySummary> Relay(IGrpcStreamReader<ObservationBatch> requests, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(context);
        var summary = new RelaySummary();
        while (await requests.MoveNextAsync(context.CancellationToken).ConfigureAwait(false))
        {
            var verdict = await SubmitOrUnavailableAsync(requests.Current, context).ConfigureAwait(false);
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
    /// The long-lived reporter stream: each observation batch is acknowledged with its verdict, in order. Attestations
    /// are answered UNKNOWN_PROPOSAL while no proposal of this aggregator is open.
    /// </summary>
    public async Task Connect(IGrpcStreamReader<ReporterMessage> requests, IGrpcStreamWriter<AggregatorMessage> responses, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(context);
        while (await requests.MoveNextAsync(context.CancellationToken).ConfigureAwait(false))
        {
            var message = requests.Current;
            switch (message.KindCase)
            {
                case ReporterMessage.KindOneofCase.Observation:
                    var verdict = await SubmitOrUnavailableAsync(message.Observation, context).ConfigureAwait(false);
                    await responses.WriteAsync(new AggregatorMessage { Acknowledgement = verdict.ToAcknowledgement() }, context.CancellationToken).ConfigureAwait(false);
                    break;
                case ReporterMessage.KindOneofCase.Attestation:
                    await responses.WriteAsync(new AggregatorMessage
                    {
                        Acknowledgement = new Acknowledgement
                        {
                            MessageHash = message.Attestation.ReportDigest,
                            Round = message.Attestation.Round,
                            Reason = RejectReason.UnknownProposal,
                            Message = $"no open proposal '{message.Attestation.ProposalId}' on this aggregator",
                        },
                    }, context.CancellationToken).ConfigureAwait(false);
                    break;
                default:
                    Log.IgnoredMessage(_logger, context.Peer, message.KindCase.ToString());
                    break;
            }
        }
    }

    private async Task<IntakeVerdict> SubmitOrUnavailableAsync(ObservationBatch batch, ServerCallContext context)
    {
        try
        {
            return await _intake.SubmitAsync(batch, context.Peer, context.CancellationToken).ConfigureAwait(false);
        }
        catch (EventStoreException e)
        {
            Log.LogUnavailable(_logger, batch.Round, e);
            return new IntakeVerdict(default, batch.Round, RejectReason.Unavailable, "the aggregator's event log is unavailable; nothing was recorded, send again");
        }
    }
}
