using System.Text.Json;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Proposals;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Tests.Rounds;

/// <summary>Closing rounds from the log: rules applied, proposal recorded once, equivocators left out.</summary>
public sealed class RoundCloserTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    [Fact]
    public async Task CloseAsync_FourReportersOneEquivocating_ProposesFromThreeOnceAndVerifies()
    {
        var intake = network.CreateIntake();
        var tokens = network.Network.Tokens.Select(t => t.Address).Order().ToArray();
        IReadOnlyList<TokenObservation> Figures(ulong factor) =>
            [.. tokens.Select(t => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000000"), new Wad(factor)))];
        for (var i = 0; i < 4; i++)
        {
            var batch = await network.Reporter(i).BatchAsync(network.Network.Client, 40, Figures(500_000_000_000_000_000));
            Assert.True((await intake.SubmitAsync(batch, "test", default)).Accepted);
        }

        var other = await network.Reporter(3).BatchAsync(network.Network.Client, 40, Figures(900_000_000_000_000_000));
        Assert.Equal(Protocol.V1.RejectReason.Equivocation, (await intake.SubmitAsync(other, "test", default)).Reason);

        var closed = await network.CreateCloser().CloseAsync(40, default);
        var again = await network.CreateCloser().CloseAsync(40, default);

        Assert.False(closed.AlreadyClosed);
        var proposal = Assert.IsType<Protocol.V1.Proposal>(closed.Proposal);
        Assert.Equal(3, proposal.Evidence.Count);
        Assert.DoesNotContain(proposal.Evidence, e => new Address(e.Reporter.Span) == network.Reporter(3).Address);
        Assert.Equal(2 * 45, proposal.Report.Updates.Length);
        var events = new List<RecordedEvent>();
        await foreach (var e in network.Store.ReadStreamAsync("round-40"))
        {
            events.Add(e);
        }

        var proposedEvent = events[^1];
        // A reporter's check of the proposal (section 6) by the protocol layer's verifier accepts it.
        var verdict = await new ProposalVerifier(network.Network.Deployment).VerifyAsync(proposal, network.Network.StateReader);
        Assert.True(verdict.IsAccepted, verdict.Refusal?.ToString());
        Assert.Equal(verdict.ReportDigest!.Value.ToString(), Field(proposedEvent, "reportDigest"));
        Assert.True(again.AlreadyClosed);
        Assert.Equal(proposal.ProposalId, again.Proposal!.ProposalId);
        Assert.Equal([.. Enumerable.Repeat(IntakeEventNames.ObservationAccepted, 4), IntakeEventNames.EquivocationDetected, RoundEventNames.RoundClosed, RoundEventNames.RoundProposed],
            events.Select(e => e.Type));
    }

    [Fact]
    public async Task CloseAsync_NoBatches_AbandonedWithReason()
    {
        var result = await network.CreateCloser().CloseAsync(41, default);

        Assert.Null(result.Proposal);
        var events = new List<RecordedEvent>();
        await foreach (var e in network.Store.ReadStreamAsync("round-41"))
        {
            events.Add(e);
        }

        Assert.Equal([RoundEventNames.RoundClosed, RoundEventNames.RoundAbandoned], events.Select(e => e.Type));
        using var body = JsonDocument.Parse(events[1].Json);
        Assert.Contains("nothing to propose", body.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static string? Field(RecordedEvent recorded, string name)
    {
        using var document = JsonDocument.Parse(recorded.Json);
        return document.RootElement.GetProperty(name).GetString();
    }
}
