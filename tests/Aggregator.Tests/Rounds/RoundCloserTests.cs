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
    public async Task CloseAsync_NoBatches_AbandonedBelowQuorum()
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
        // Issue 18: a round nobody observed is abandoned for missing quorum, not for an empty report.
        var reason = body.RootElement.GetProperty("reason").GetString();
        Assert.Contains("below quorum at the deadline", reason, StringComparison.Ordinal);
        Assert.Contains("0 valid batch(es)", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing to propose", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloseAsync_TwoBatchesOfThreeNeeded_AbandonedBelowQuorum()
    {
        var intake = network.CreateIntake();
        var tokens = network.Network.Tokens.Select(t => t.Address).Order().ToArray();
        for (var i = 0; i < 2; i++)
        {
            var batch = await network.Reporter(i).BatchAsync(network.Network.Client, 44,
                [.. tokens.Select(t => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000000"), new Wad(500_000_000_000_000_000)))]);
            Assert.True((await intake.SubmitAsync(batch, "test", default)).Accepted);
        }

        var result = await network.CreateCloser().CloseAsync(44, default);

        Assert.Null(result.Proposal);
        string? reason = null;
        await foreach (var e in network.Store.ReadStreamAsync("round-44"))
        {
            reason = e.Type == RoundEventNames.RoundAbandoned ? Field(e, "reason") : reason;
        }

        Assert.Contains("below quorum at the deadline: 2 valid batch(es)", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitAsync_AfterRoundProposed_LateBatchNotAcceptedAndConflictNotSaidDropped()
    {
        var intake = network.CreateIntake();
        var tokens = network.Network.Tokens.Select(t => t.Address).Order().ToArray();
        IReadOnlyList<TokenObservation> Figures(ulong factor) =>
            [.. tokens.Select(t => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000000"), new Wad(factor)))];
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await intake.SubmitAsync(await network.Reporter(i).BatchAsync(network.Network.Client, 45, Figures(500_000_000_000_000_000)), "test", default)).Accepted);
        }

        var closed = await network.CreateCloser().CloseAsync(45, default);
        Assert.NotNull(closed.Proposal);

        // The same intake instance (its round state loaded before the close) must see the decision.
        var late = await intake.SubmitAsync(await network.Reporter(3).BatchAsync(network.Network.Client, 45, Figures(500_000_000_000_000_000)), "test", default);
        var conflict = await intake.SubmitAsync(await network.Reporter(0).BatchAsync(network.Network.Client, 45, Figures(900_000_000_000_000_000)), "test", default);
        var rebuilt = await network.CreateCloser().CloseAsync(45, default);

        Assert.False(late.Accepted);
        Assert.Equal(Protocol.V1.RejectReason.StaleRound, late.Reason);
        Assert.Contains("already proposed", late.Message, StringComparison.Ordinal);
        Assert.Equal(Protocol.V1.RejectReason.Equivocation, conflict.Reason);
        Assert.DoesNotContain("both are dropped", conflict.Message, StringComparison.Ordinal);
        Assert.Contains("stands", conflict.Message, StringComparison.Ordinal);
        // The proposal is what it was: the first batch of reporter 0 is still in it.
        Assert.Equal(closed.ReportDigest, rebuilt.ReportDigest);
        Assert.Contains(rebuilt.Proposal!.Evidence, e => new Address(e.Reporter.Span) == network.Reporter(0).Address);
    }

    [Fact]
    public async Task SubmitAsync_AfterRoundAbandoned_NotAcceptedWithTheReason()
    {
        var intake = network.CreateIntake();
        Assert.Null((await network.CreateCloser().CloseAsync(46, default)).Proposal);

        var late = await intake.SubmitAsync(await network.Reporter(0).BatchAsync(network.Network.Client, 46, TestReporter.Tokens(2)), "test", default);

        Assert.False(late.Accepted);
        Assert.Equal(Protocol.V1.RejectReason.StaleRound, late.Reason);
        Assert.Contains("abandoned", late.Message, StringComparison.Ordinal);
    }

    private static string? Field(RecordedEvent recorded, string name)
    {
        using var document = JsonDocument.Parse(recorded.Json);
        return document.RootElement.GetProperty(name).GetString();
    }
}
