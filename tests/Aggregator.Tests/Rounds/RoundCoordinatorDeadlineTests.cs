using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;

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

        Assert.NotEqual(RoundStep.Abandoned, stalled.Step);
        Assert.Equal(RoundStep.Opened, beforeDeadline.Step);
        Assert.Equal(RoundStep.Abandoned, closed.Step);
        Assert.StartsWith("below quorum at the deadline: 0 valid batch(es)", closed.AbandonedReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TickAsync_RestartedAfterDeadlinePassed_WaitsReconnectGraceBeforeClosing()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var grace = TimeSpan.FromSeconds(4);
        var before = Create(clock, confirmations: 0, grace);
        var round = await MineToReferenceBlockAsync();
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
        Assert.Equal(RoundStep.Abandoned, afterGrace.Step);
        Assert.StartsWith("below quorum at the deadline: 0 valid batch(es)", afterGrace.AbandonedReason, StringComparison.Ordinal);
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
