using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Tests.Intake.Chain;

/// <summary>
/// The reporter set follows the oracle's logs: with a refresh timer of an hour, a reporter added on chain is accepted and
/// a removed one refused at the next poll (real anvil, deployed contracts, real PostgreSQL).
/// </summary>
public sealed class ContractIntakeViewSourceTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    [Fact]
    public async Task GetAsync_ReporterAddedThenRemovedOnChain_IntakeAcceptsThenRefusesWithinOnePoll()
    {
        var newcomer = new TestReporter(OracleNetwork.ReporterSigner(7), network.Network.Deployment.TypedData); // not registered
        var view = new ContractIntakeViewSource(network.Network.Client, network.Network.StateReader, network.Network.Deployment.Oracle, TimeProvider.System,
            refreshInterval: TimeSpan.FromHours(1), logPollInterval: TimeSpan.Zero);
        var intake = new ObservationIntake(network.Store, new BatchVerifier(network.Network.Deployment), view,
            new RpcCanonicalChain(network.Network.Client, TimeProvider.System, TimeSpan.Zero), TimeProvider.System, NullLoggerFactory.Instance);

        var before = await intake.SubmitAsync(await BatchAsync(newcomer), "test", default);
        Assert.Equal(RejectReason.UnknownSigner, before.Reason);

        await network.Network.Oracle.AddReporterAsync(network.Network.Owner, newcomer.Address);
        var added = await intake.SubmitAsync(await BatchAsync(newcomer), "test", default);
        Assert.True(added.Accepted, added.Message);
        Assert.Contains(newcomer.Address, (await view.GetAsync(default)).Reporters.Addresses);

        await network.Network.Oracle.RemoveReporterAsync(network.Network.Owner, newcomer.Address);
        var removed = await intake.SubmitAsync(await BatchAsync(newcomer), "test", default);
        Assert.Equal(RejectReason.UnknownSigner, removed.Reason);
    }

    [Fact]
    public async Task GetAsync_BlocksWithoutOracleLogsThenParamsSet_ReusesTheViewThenReadsTheNewParameters()
    {
        var view = new ContractIntakeViewSource(network.Network.Client, network.Network.StateReader, network.Network.Deployment.Oracle, TimeProvider.System,
            refreshInterval: TimeSpan.FromHours(1), logPollInterval: TimeSpan.Zero);
        var first = await view.GetAsync(default);
        await network.Network.Node.MineAsync(3); // blocks without oracle logs

        Assert.Same(first, await view.GetAsync(default)); // polled, nothing changed: not read again

        var parameters = OracleNetworkOptions.DefaultParameters with { RoundBlocks = IntakeNetwork.RoundBlocks };
        await network.Network.Oracle.SetParamsAsync(network.Network.Owner, parameters with { MaxReportAgeBlocks = 200 });
        try
        {
            var changed = await view.GetAsync(default);
            Assert.NotSame(first, changed);
            Assert.Equal(200UL, changed.MaxReportAgeBlocks);
        }
        finally
        {
            await network.Network.Oracle.SetParamsAsync(network.Network.Owner, parameters);
        }
    }

    [Fact]
    public void Constructor_NegativeLogPoll_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContractIntakeViewSource(network.Network.Client, network.Network.StateReader,
            network.Network.Deployment.Oracle, TimeProvider.System, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(-1)));

    /// <summary>A fresh round (B_r among the last blocks) so that each submission is a new batch, not a duplicate.</summary>
    private async Task<ObservationBatch> BatchAsync(TestReporter reporter)
    {
        await network.Network.Node.MineAsync(2 * IntakeNetwork.RoundBlocks);
        var head = await network.Network.Client.BlockNumberAsync();
        var tokens = network.Network.Tokens.Select(t => t.Address).Order();
        IReadOnlyList<TokenObservation> figures = [.. tokens.Select(t => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000000"), new Wad(500_000_000_000_000_000)))];
        return await reporter.BatchAsync(network.Network.Client, (head - 2) / IntakeNetwork.RoundBlocks, figures);
    }
}
