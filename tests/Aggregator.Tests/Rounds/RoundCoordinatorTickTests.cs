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

    [Fact]
    public async Task TickAsync_OwnCommitMinedWhileDown_RoundConfirmedWithThatTransactionNotSuperseded()
    {
        // The chaos run's kill between broadcast and mining (issue 24): the commit is mined while the aggregator is down,
        // so at restart lastRound already equals the round, and the round must be recorded as ours, not superseded.
        var (report, attestations) = await TransmissionHarness.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var recorded = await TransmissionHarness.RecordIntentAsync(network, report, attestations, TransmissionHarness.Sender(network));
        await network.Network.Client.SendRawTransactionAsync(recorded.Raw);
        await network.Network.Node.WaitForReceiptAsync(recorded.Hash.ToString()); // mined ... while the process is down
        Assert.Equal(round, await network.Network.Oracle.LastRoundAsync());
        var restarted = new RoundCoordinator(network.Store, network.CreateCloser(), TransmissionHarness.Transmitter(network), new ProposalHub(network.Store),
            network.Network.StateReader, new RpcCanonicalChain(network.Network.Client, TimeProvider.System, TimeSpan.Zero), leadership: null,
            new RoundCoordinatorOptions(TimeSpan.FromHours(1), TimeSpan.FromHours(1), TimeSpan.FromSeconds(1)), TimeProvider.System, NullLoggerFactory.Instance);

        await restarted.TickAsync(default);
        var settled = await FoldAsync(round);

        Assert.Equal(RoundStep.Confirmed, settled.Step);
        Assert.Equal(recorded.Hash.ToString(), settled.Confirmed!.TransactionHash);
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
