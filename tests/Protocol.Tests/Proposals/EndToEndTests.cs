using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Tests.Proposals;

/// <summary>The whole of docs/protocol.md section 6 on a real anvil with the real contracts: five reporters, three tokens.</summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private OracleNetwork _network = null!;

    public async Task InitializeAsync() => _network = await OracleNetwork.StartAsync(new OracleNetworkOptions { Reporters = 5, Tokens = 3 });

    public async Task DisposeAsync() => await _network.DisposeAsync();

    [Fact]
    public async Task RunRound_FiveReporters_CommitsWhatTheEnginePredicted()
    {
        var header = await _network.NextRoundAsync();
        var tokens = _network.Tokens.Select(t => t.Address).ToArray();
        // Token 0: honest cluster; token 1: one outlier (still commits); token 2: supply disagreement (never committed: left out).
        ulong[] factors0 = [600_000_000_000_000_000, 601_000_000_000_000_000, 599_000_000_000_000_000, 600_500_000_000_000_000, 600_000_000_000_000_000];
        ulong[] factors1 = [300_000_000_000_000_000, 300_000_000_000_000_000, 302_000_000_000_000_000, 301_000_000_000_000_000, 900_000_000_000_000_000];
        var batches = new List<Protocol.Observations.SignedBatch>();
        for (var r = 0; r < 5; r++)
        {
            batches.Add(await _network.SignBatchAsync(r, header,
            [
                new TokenObservation(tokens[0], new TokenAmount((UInt128)1_000_000), new Wad(factors0[r])),
                new TokenObservation(tokens[1], new TokenAmount((UInt128)5_000_000), new Wad(factors1[r])),
                new TokenObservation(tokens[2], new TokenAmount((UInt128)(7_000_000 + r)), new Wad(500_000_000_000_000_000)),
            ]));
        }

        var run = await _network.RunRoundAsync(header, batches);

        Assert.NotNull(run);

        Assert.True(run.Transaction.Receipt.Succeeded);
        Assert.All(run.Verdicts, v => Assert.True(v.IsAccepted));
        Assert.Equal(5, run.Attestations.Count);
        var committed = run.Transaction.Receipt.Logs.Select(SupplyOracleContract.CommittedEvent.TryDecode).OfType<SupplyOracleContract.CommittedEvent>().Single();
        Assert.Equal(header.Round.Value, committed.Round);
        Assert.Equal(run.Commit.ReportDigest, committed.ReportDigest);
        Assert.Equal(2, (int)committed.Committed);
        Assert.Equal(0, (int)committed.Rejected);
        Assert.Empty(run.Transaction.Receipt.Logs.Select(SupplyOracleContract.RejectedEvent.TryDecode).OfType<SupplyOracleContract.RejectedEvent>());

        var outcomes = run.Evaluation.Result.Outcomes;
        Assert.Equal(OutcomeReason.Commit, outcomes.Single(o => o.Token == tokens[0]).Reason);
        Assert.Equal(OutcomeReason.Commit, outcomes.Single(o => o.Token == tokens[1]).Reason);
        Assert.Equal(OutcomeReason.FrozenSupply, outcomes.Single(o => o.Token == tokens[2]).Reason);

        var after = await _network.StateReader.ReadAsync(run.Transaction.Receipt.BlockHash);
        Assert.Equal(header.Round.Value, after.LastRound);
        foreach (var outcome in outcomes.Where(o => o.NewState is not null))
        {
            Assert.Equal(outcome.NewState, after.TokenStates.Single(s => s.Token == outcome.Token));
        }

        Assert.False(after.TokenStates.Single(s => s.Token == tokens[2]).Initialized);
    }
}
