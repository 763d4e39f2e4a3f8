using System.Net;
using Microsoft.Extensions.Logging;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using Grpc.Core;
using Grpc.Net.Client;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.TestSupport;
using Xunit.Abstractions;

namespace SupplyOracle.Aggregator.Tests.Rounds;

/// <summary>Open proposals over the real Connect stream: pushed on connect, attestations verified, recorded once and acknowledged.</summary>
public sealed class ProposalHubTests(IntakeNetwork network, ITestOutputHelper output) : IClassFixture<IntakeNetwork>
{

    [Fact]
    public async Task Connect_ProposalOpenBeforeConnect_PushedThenAttestationsVerifiedRecordedOnceAndRefusalRecorded()
    {
        const ulong round = 25;
        var intake = network.CreateIntake();
        var tokens = network.Network.Tokens.Select(t => t.Address).Order().ToArray();
        IReadOnlyList<TokenObservation> figures = [.. tokens.Select(t => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000000"), new Wad(500_000_000_000_000_000)))];
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await intake.SubmitAsync(await network.Reporter(i).BatchAsync(network.Network.Client, round, figures), "test", default)).Accepted);
        }

        var closed = await network.CreateCloser().CloseAsync(round, default);
        using var logging = LoggerFactory.Create(b => b.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Debug));
        var hub = new ProposalHub(network.Store);
        hub.Publish(new OpenProposal(closed.Proposal!, closed.Report!, closed.ReportDigest!.Value, closed.Reporters!, TimeProvider.System.GetUtcNow()));
        await using var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null,
            new GossipService(intake, logging, hub), b => b.ClearProviders().AddProvider(new TestOutputLoggerProvider(output)));
        using var channel = GrpcChannel.ForAddress(host.Grpc);
        var deployment = network.Network.Deployment;
        var valid = (await AttestationSigner.SignAsync(network.Network.Reporters[0], deployment, closed.Report!)).ToProto(closed.Proposal!.ProposalId);
        var stranger = new PrivateKeySigner(PrivateKey.Parse(AnvilNode.DevAccounts[8].PrivateKey));
        var unknown = (await AttestationSigner.SignAsync(stranger, deployment, closed.Report!)).ToProto(closed.Proposal.ProposalId);
        var otherRound = valid.Clone();
        otherRound.Round = round + 1;

        // A deadline: a stream the server ended early fails the test within seconds, with the server's log in the output.
        using var call = new Gossip.GossipClient(channel).Connect(deadline: TimeProvider.System.GetUtcNow().AddSeconds(30).UtcDateTime);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(closed.Proposal, call.ResponseStream.Current.Proposal);
        foreach (var attestation in new[] { valid, unknown, otherRound, valid })
        {
            await call.RequestStream.WriteAsync(new ReporterMessage { Attestation = attestation });
        }

        await call.RequestStream.WriteAsync(new ReporterMessage
        {
            ProposalVerdict = new Acknowledgement { Round = round, Reason = RejectReason.NotCanonical, Message = "reference block reorganised" },
        });
        await call.RequestStream.CompleteAsync();
        var acks = new List<Acknowledgement>();
        while (await call.ResponseStream.MoveNext())
        {
            acks.Add(call.ResponseStream.Current.Acknowledgement);
        }

        Assert.Equal([RejectReason.Unspecified, RejectReason.UnknownSigner, RejectReason.UnknownProposal, RejectReason.Unspecified], acks.Select(a => a.Reason));
        Assert.True(acks[0].Accepted && acks[3].Accepted);
        var state = new RoundState(round);
        foreach (var e in await network.Store.FetchStreamAsync("round-25"))
        {
            state.Apply(e);
        }

        var recorded = Assert.Single(state.Attestations);
        Assert.Equal(network.Network.Reporters[0].Address, Address.Parse(recorded.Reporter));
        Assert.Equal(["NotCanonical: reference block reorganised"], state.Refusals);
        Assert.Equal(RoundStep.Proposed, state.Step);
    }

    [Fact]
    public async Task AttestAsync_NoOpenProposal_AnsweredUnknownProposal()
    {
        var hub = new ProposalHub(network.Store);
        var ack = await hub.AttestAsync(new Attestation { Round = 27, ProposalId = "x" }, "test", default);

        Assert.Equal(RejectReason.UnknownProposal, ack.Reason);
        Assert.Empty(hub.Open);
    }
}
