using Google.Protobuf;
using SupplyOracle.Grpc.Client;
using SupplyOracle.Grpc.Tests.TestServices;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Grpc.Tests.Protocol;

/// <summary>The supplyoracle.v1 services over the transport with our client: every call shape of the real contract.</summary>
public sealed class GossipContractTests : ServerTestBase
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor s_gossip = GossipReflection.Descriptor.Services[0];
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor s_status = StatusReflection.Descriptor.Services[0];
    private static readonly GrpcMethod<ObservationBatch, Acknowledgement> s_submit = GrpcMethod<ObservationBatch, Acknowledgement>.Create(s_gossip.FindMethodByName("Submit"));
    private static readonly GrpcMethod<ObservationBatch, RelaySummary> s_relay = GrpcMethod<ObservationBatch, RelaySummary>.Create(s_gossip.FindMethodByName("Relay"));
    private static readonly GrpcMethod<ReporterMessage, AggregatorMessage> s_connect = GrpcMethod<ReporterMessage, AggregatorMessage>.Create(s_gossip.FindMethodByName("Connect"));
    private static readonly GrpcMethod<WatchRequest, StatusUpdate> s_watch = GrpcMethod<WatchRequest, StatusUpdate>.Create(s_status.FindMethodByName("Watch"));
    private static readonly GrpcMethod<GetTokenStateRequest, TokenState> s_getToken = GrpcMethod<GetTokenStateRequest, TokenState>.Create(s_status.FindMethodByName("GetTokenState"));

    private static ObservationBatch Batch(ulong round, int signatureLength = 65) => new()
    {
        Round = round,
        ReferenceBlock = round * 300,
        ReferenceTime = 1_700_000_000,
        ReferenceHash = ByteString.CopyFrom(new byte[32]),
        Observations = ByteString.CopyFrom(new byte[60 * 2]),
        Signature = ByteString.CopyFrom(new byte[signatureLength]),
        Reporter = ByteString.CopyFrom(new byte[20]),
    };

    [Fact]
    public void Descriptors_CallShapes_AsTheContractDefines()
    {
        Assert.True(s_connect.Descriptor.IsClientStreaming && s_connect.Descriptor.IsServerStreaming);
        Assert.False(s_submit.Descriptor.IsClientStreaming || s_submit.Descriptor.IsServerStreaming);
        Assert.True(s_relay.Descriptor.IsClientStreaming && !s_relay.Descriptor.IsServerStreaming);
        Assert.True(!s_watch.Descriptor.IsClientStreaming && s_watch.Descriptor.IsServerStreaming);
        Assert.Equal("/supplyoracle.v1.Gossip/Connect", s_connect.Path);
    }

    [Fact]
    public void Create_WrongMessageTypes_Throws()
    {
        Assert.Throws<ArgumentException>(() => GrpcMethod<ObservationBatch, RelaySummary>.Create(s_gossip.FindMethodByName("Submit")));
    }

    [Fact]
    public async Task Submit_ValidAndBadSignatureLength_AcceptedAndRejectedWithReason()
    {
        Assert.True((await Channel.UnaryAsync(s_submit, Batch(7))).Accepted);
        var rejected = await Channel.UnaryAsync(s_submit, Batch(7, signatureLength: 64));
        Assert.False(rejected.Accepted);
        Assert.Equal(RejectReason.BadSignature, rejected.Reason);
    }

    [Fact]
    public async Task Relay_DuplicateBatches_Counted()
    {
        using var call = Channel.ClientStreaming(s_relay);
        await call.RequestStream.WriteAsync(Batch(1));
        await call.RequestStream.WriteAsync(Batch(1));
        await call.RequestStream.WriteAsync(Batch(2));
        await call.RequestStream.CompleteAsync();
        var summary = await call.ResponseAsync;
        Assert.Equal((2u, 1u, 0u), (summary.Accepted, summary.Duplicates, summary.Rejected));
    }

    [Fact]
    public async Task Connect_ObservationThenAttestation_AcknowledgementsAndProposalDown()
    {
        using var call = Channel.DuplexStreaming(s_connect);
        await call.RequestStream.WriteAsync(new ReporterMessage { Observation = Batch(3) });
        Assert.True(await call.ResponseStream.MoveNextAsync());
        Assert.True(call.ResponseStream.Current.Acknowledgement.Accepted);
        Assert.True(await call.ResponseStream.MoveNextAsync());
        var proposal = call.ResponseStream.Current.Proposal;
        Assert.Equal(3ul, proposal.Report.Round);
        Assert.Equal(Batch(3), Assert.Single(proposal.Evidence));

        await call.RequestStream.WriteAsync(new ReporterMessage
        {
            Attestation = new Attestation { Round = 3, ReportDigest = ByteString.CopyFrom(new byte[32]), Signature = ByteString.CopyFrom(new byte[65]), ProposalId = proposal.ProposalId },
        });
        Assert.True(await call.ResponseStream.MoveNextAsync());
        Assert.True(call.ResponseStream.Current.Acknowledgement.Accepted);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNextAsync());
    }

    [Fact]
    public async Task Watch_StreamsUpdatesInOrder()
    {
        using var call = Channel.ServerStreaming(s_watch, new WatchRequest());
        var rounds = new List<ulong>();
        await foreach (var update in call.ResponseStream.ReadAllAsync())
        {
            rounds.Add(update.Token.Round);
        }

        Assert.Equal([1ul, 2ul, 3ul], rounds);
    }

    [Fact]
    public async Task GetTokenState_UnlistedToken_NotFound()
    {
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => Channel.UnaryAsync(s_getToken, new GetTokenStateRequest { Token = ByteString.CopyFrom(new byte[20]) }));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        var listed = await Channel.UnaryAsync(s_getToken, new GetTokenStateRequest { Token = ByteString.CopyFrom(FixedStatusService.Token) });
        Assert.Equal(500_000_000_000_000_000ul, listed.Factor);
    }
}
