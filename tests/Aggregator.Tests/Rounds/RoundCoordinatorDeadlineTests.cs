using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Tests.Rounds;

/// <summary>
/// When the round loop closes a round (issue 24 items 2 and 3): single passes on a chain mined by hand (anvil automine)
/// with a clock moved by hand, so every deadline is exact.
/// </summary>
public sealed class RoundCoordinatorDeadlineTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    private static readonly TimeSpan CloseAfter = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TickAsync_ChainStalledAtReferenceBlock_WindowStartsAtConfirmationsAndIsNotTruncated()
    {
        // 0.9 s past a whole second: a deadline stored in whole seconds would close 0.9 s early.
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, 900, TimeSpan.Zero));
        var coordinator = Create(clock, confirmations: 1, grace: TimeSpan.Zero);
        var round = await MineToReferenceBlockAsync();
        await SubmitAsync(round, reporters: 3); // the quorum, not every reporter: only the deadline closes the round

        // The chain stalls at B_r: reporters (B_r + 1 confirmation) cannot report yet, so the window must not run.
        await coordinator.TickAsync(default);
        clock.Advance(CloseAfter + TimeSpan.FromSeconds(5));
        await coordinator.TickAsync(default);
        var stalled = await FoldAsync(round);

        // The chain resumes: the window starts now and lasts CloseAfter to the millisecond.
        await network.Network.Node.MineAsync(1);
        await coordinator.TickAsync(default);
        clock.Advance(CloseAfter - TimeSpan.FromMilliseconds(100));
        await coordinator.TickAsync(default);
        var beforeDeadline = await FoldAsync(round);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await coordinator.TickAsync(default);
        var closed = await FoldAsync(round);

        Assert.Equal(RoundStep.New, stalled.Step);
        Assert.Equal(RoundStep.Opened, beforeDeadline.Step);
        AssertClosedWithQuorum(closed);
    }

    [Fact]
    public async Task TickAsync_RestartedAfterDeadlinePassed_WaitsReconnectGraceBeforeClosing()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var grace = TimeSpan.FromSeconds(4);
        var before = Create(clock, confirmations: 0, grace);
        var round = await MineToReferenceBlockAsync();
        await SubmitAsync(round, reporters: 3);
        await before.TickAsync(default);
        var opened = await FoldAsync(round);

        // The aggregator is down past the round's deadline, then a new process starts listening.
        clock.Advance(CloseAfter + TimeSpan.FromSeconds(20));
        var restarted = Create(clock, confirmations: 0, grace);
        await restarted.TickAsync(default);
        var firstPoll = await FoldAsync(round);
        clock.Advance(grace - TimeSpan.FromMilliseconds(1));
        await restarted.TickAsync(default);
        var withinGrace = await FoldAsync(round);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await restarted.TickAsync(default);
        var afterGrace = await FoldAsync(round);

        Assert.Equal(RoundStep.Opened, opened.Step);
        Assert.Equal(RoundStep.Opened, firstPoll.Step);
        Assert.Equal(RoundStep.Opened, withinGrace.Step);
        AssertClosedWithQuorum(afterGrace);
    }

    [Fact]
    public async Task TickAsync_BelowQuorumAtDeadline_StaysOpenAndClosesWhenTheQuorumIsHeard()
    {
        // Issue 24 (the chaos run's anvil pause and aggregator restarts under load): batches held up past the wall-clock
        // deadline arrive a moment later; a round closed below quorum at the deadline was lost although still committable.
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var coordinator = Create(clock, confirmations: 0, grace: TimeSpan.Zero);
        var round = await MineToReferenceBlockAsync();
        await SubmitAsync(round, reporters: 2);
        await coordinator.TickAsync(default);
        clock.Advance(CloseAfter + TimeSpan.FromSeconds(5));
        await coordinator.TickAsync(default);
        var pastDeadline = await FoldAsync(round);

        await SubmitAsync(round, reporters: 3, from: 2);
        await coordinator.TickAsync(default);
        var quorum = await FoldAsync(round);

        Assert.Equal(RoundStep.Opened, pastDeadline.Step);
        AssertClosedWithQuorum(quorum);
    }

    [Fact]
    public async Task TickAsync_BelowQuorumUntilTooOld_AbandonedBelowQuorumWithTheAge()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var coordinator = Create(clock, confirmations: 0, grace: TimeSpan.Zero);
        var round = await MineToReferenceBlockAsync();
        await SubmitAsync(round, reporters: 2);
        await coordinator.TickAsync(default);
        clock.Advance(CloseAfter + TimeSpan.FromSeconds(5));
        await coordinator.TickAsync(default);
        var pastDeadline = await FoldAsync(round);

        await network.Network.Node.MineAsync(network.Network.Options.Parameters.MaxReportAgeBlocks + 2);
        await coordinator.TickAsync(default);
        var ended = await FoldAsync(round);

        Assert.Equal(RoundStep.Opened, pastDeadline.Step);
        Assert.Equal(RoundStep.Abandoned, ended.Step);
        Assert.StartsWith("below quorum at the deadline and until too old: 2 reporter(s) heard, minReporters 3; a commit now would be more than maxReportAgeBlocks",
            ended.AbandonedReason, StringComparison.Ordinal);
    }

    // Closed (proposed, or abandoned by the rules with nothing to propose), not for want of a quorum.
    private static void AssertClosedWithQuorum(RoundState state)
    {
        Assert.True(state.Step is RoundStep.Proposed or RoundStep.Abandoned, $"round {state.Round} is {state.Step}");
        Assert.False(state.AbandonedReason?.StartsWith("below quorum", StringComparison.Ordinal) ?? false, state.AbandonedReason);
    }

    // Batches of reporters from..from+reporters-1 for the round, through the intake (every token at the same figures).
    private async Task SubmitAsync(ulong round, int reporters, int from = 0)
    {
        var intake = network.CreateIntake();
        IReadOnlyList<TokenObservation> figures =
            [.. network.Network.Tokens.Select(t => t.Address).Order().Select(t => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000000"), new Wad(500_000_000_000_000_000)))];
        for (var i = from; i < from + reporters; i++)
        {
            var batch = await network.Reporter(i).BatchAsync(network.Network.Client, round, figures);
            Assert.True((await intake.SubmitAsync(batch, "test", default)).Accepted);
        }
    }

    private RoundCoordinator Create(TimeProvider clock, ulong confirmations, TimeSpan grace) =>
        new(network.Store, network.CreateCloser(), network.CreateTransmitter(), new ProposalHub(network.Store),
            network.Network.StateReader, new RpcCanonicalChain(network.Network.Client, TimeProvider.System, TimeSpan.Zero), leadership: null,
            new RoundCoordinatorOptions(CloseAfter, TimeSpan.FromHours(1), TimeSpan.FromSeconds(1)) { ReporterConfirmations = confirmations, ReconnectGrace = grace },
            clock, NullLoggerFactory.Instance);

    // Mines to the next B_r (head = r * roundBlocks) a few rounds ahead of anything earlier tests touched; returns r.
    private async Task<ulong> MineToReferenceBlockAsync()
    {
        var head = await network.Network.Client.BlockNumberAsync();
        var target = (head / IntakeNetwork.RoundBlocks + 3) * IntakeNetwork.RoundBlocks;
        await network.Network.Node.MineAsync(target - head);
        Assert.Equal(target, await network.Network.Client.BlockNumberAsync());
        return target / IntakeNetwork.RoundBlocks;
    }

    private async Task<RoundState> FoldAsync(ulong round)
    {
        var state = new RoundState(round);
        foreach (var e in await network.Store.FetchStreamAsync(IntakeEventNames.RoundStream(round)))
        {
            state.Apply(e);
        }

        return state;
    }
}
