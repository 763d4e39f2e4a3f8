using Google.Protobuf;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Grpc.Tests.TestServices;

/// <summary>
/// An echo-like supplyoracle.v1.Gossip for transport tests: it checks only the shape of messages (lengths from
/// docs/protocol.md section 7), acknowledges what it gets, and dedups relayed batches by their bytes. The real verification
/// lives in the aggregator.
/// </summary>
public sealed class GossipEchoService
{
    private readonly HashSet<ByteString> _seen = [];

    public Task<Acknowledgement> Submit(ObservationBatch batch, ServerCallContext context) => Task.FromResult(Verdict(batch));

    public async Task<RelaySummary> Relay(IGrpcStreamReader<ObservationBatch> batches, ServerCallContext context)
    {
        var summary = new RelaySummary();
        await foreach (var batch in batches.ReadAllAsync(context.CancellationToken))
        {
            var verdict = Verdict(batch);
            bool fresh;
            lock (_seen)
            {
                fresh = _seen.Add(batch.ToByteString());
            }

            if (!verdict.Accepted)
            {
                summary.Rejected++;
            }
            else if (fresh)
            {
                summary.Accepted++;
            }
            else
            {
                summary.Duplicates++;
            }
        }

        return summary;
    }

    public async Task Connect(IGrpcStreamReader<ReporterMessage> messages, IGrpcStreamWriter<AggregatorMessage> responses, ServerCallContext context)
    {
        await foreach (var message in messages.ReadAllAsync(context.CancellationToken))
        {
            switch (message.KindCase)
            {
                case ReporterMessage.KindOneofCase.Observation:
                    await responses.WriteAsync(new AggregatorMessage { Acknowledgement = Verdict(message.Observation) });
                    // Echo-like: every accepted batch gets a proposal built from it as evidence.
                    await responses.WriteAsync(new AggregatorMessage
                    {
                        Proposal = new Proposal
                        {
                            Report = new Report { Round = message.Observation.Round, ReferenceBlock = message.Observation.ReferenceBlock },
                            Evidence = { message.Observation },
                            ProposalId = $"p-{message.Observation.Round}",
                        },
                    });
                    break;
                case ReporterMessage.KindOneofCase.Attestation:
                    var a = message.Attestation;
                    await responses.WriteAsync(new AggregatorMessage
                    {
                        Acknowledgement = a.Signature.Length == 65 && a.ReportDigest.Length == 32
                            ? new Acknowledgement { Accepted = true, Round = a.Round, MessageHash = a.ReportDigest }
                            : new Acknowledgement { Reason = RejectReason.Malformed, Round = a.Round, Message = "digest 32 bytes, signature 65 bytes" },
                    });
                    break;
                default:
                    throw new GrpcStatusException(StatusCode.InvalidArgument, "empty ReporterMessage");
            }
        }
    }

    private static Acknowledgement Verdict(ObservationBatch batch)
    {
        if (batch.Signature.Length != 65)
        {
            return new Acknowledgement { Round = batch.Round, Reason = RejectReason.BadSignature, Message = $"signature is {batch.Signature.Length} bytes, not 65" };
        }

        if (batch.ReferenceHash.Length != 32 || batch.Observations.Length % 60 != 0)
        {
            return new Acknowledgement { Round = batch.Round, Reason = RejectReason.Malformed, Message = "reference hash 32 bytes, observations 60-byte records" };
        }

        return new Acknowledgement { Round = batch.Round, Accepted = true, MessageHash = batch.ReferenceHash };
    }
}

/// <summary>A supplyoracle.v1.Status that answers from a fixed list, for transport tests of the watch stream.</summary>
public sealed class FixedStatusService
{
    public static readonly byte[] Token = [.. Enumerable.Range(1, 20).Select(i => (byte)i)];

    public Task<TokenState> GetTokenState(GetTokenStateRequest request, ServerCallContext context) =>
        request.Token.Span.SequenceEqual(Token)
            ? Task.FromResult(State(1))
            : throw new GrpcStatusException(StatusCode.NotFound, "token is not listed");

    public Task<ListTokenStatesResponse> ListTokenStates(ListTokenStatesRequest request, ServerCallContext context) =>
        Task.FromResult(new ListTokenStatesResponse { Tokens = { State(1) } });

    public Task<ListRoundsResponse> ListRounds(ListRoundsRequest request, ServerCallContext context) =>
        Task.FromResult(new ListRoundsResponse { Rounds = { new RoundInfo { Round = 7, Phase = RoundPhase.Confirmed } } });

    public Task<ListReportersResponse> ListReporters(ListReportersRequest request, ServerCallContext context) =>
        Task.FromResult(new ListReportersResponse());

    public Task<RoundAudit> GetRoundAudit(GetRoundAuditRequest request, ServerCallContext context) =>
        Task.FromResult(new RoundAudit { Round = request.Round, Phase = RoundPhase.Confirmed });

    public async Task Watch(WatchRequest request, IGrpcStreamWriter<StatusUpdate> updates, ServerCallContext context)
    {
        for (ulong round = 1; round <= 3; round++)
        {
            await updates.WriteAsync(new StatusUpdate { Token = State(round) });
        }
    }

    private static TokenState State(ulong round) => new()
    {
        Token = ByteString.CopyFrom(Token),
        Factor = 500_000_000_000_000_000,
        CommittedAt = 1_700_000_000 + round,
        Circulating = ByteString.CopyFrom([0x01, 0x00]),
        Round = round,
    };
}
