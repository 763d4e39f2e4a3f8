using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;

namespace SupplyOracle.Aggregator.Tests.Rounds;

/// <summary>Single passes of the round loop on a chain mined by hand (anvil automine).</summary>
public sealed class RoundCoordinatorTickTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    [Fact]
    public async Task TickAsync_OpenRoundPastMaxReportAgeBlocks_AbandonedAsTooOld()
    {
        var coordinator = new RoundCoordinator(network.Store, network.CreateCloser(), network.CreateTransmitter(), new ProposalHub(network.Store),
            network.Network.StateReader, new RpcCanonicalChain(network.Network.Client, TimeProvider.System, TimeSpan.Zero), leadership: null,
            new RoundCoordinatorOptions(TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromSeconds(1)), TimeProvider.System, NullLoggerFactory.Instance);
        var round = await network.Network.Client.BlockNumberAsync() / IntakeNetwork.RoundBlocks;

        await coordinator.TickAsync(default);
        var opened = await FoldAsync(round);
        await network.Network.Node.MineAsync(network.Network.Options.Parameters.MaxReportAgeBlocks + 2);
        await coordinator.TickAsync(default);
        var abandoned = await FoldAsync(round);

        Assert.Equal(RoundStep.Opened, opened.Step);
        Assert.Equal(RoundStep.Abandoned, abandoned.Step);
        Assert.StartsWith("too old: a commit now would be more than maxReportAgeBlocks (256) blocks after B_r", abandoned.AbandonedReason, StringComparison.Ordinal);
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
