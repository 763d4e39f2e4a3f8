using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Aggregator.Transmission;

namespace SupplyOracle.Aggregator.Tests.Rounds;

/// <summary>
/// The commit policy (docs/protocol.md section 5 step 12) in the running round loop against a live anvil, PostgreSQL and
/// five in-process reporters: a round whose tokens are all Unchanged proposes nothing and sends no transaction; a
/// round where one token moves a tier commits that token alone.
/// </summary>
public sealed class RoundCoordinatorCommitPolicyTests(LiveNetwork live) : IClassFixture<LiveNetwork>
{
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task RunAsync_NothingChangedBeforeHeartbeat_NoProposalNoTransactionThenOnlyTheMovedTokenCommits()
    {
        // An hour of heartbeat: far longer than this test, so after the first commit only a change can commit.
        await live.Network.Oracle.SetParamsAsync(live.Network.Owner, live.Network.Options.Parameters with { Heartbeat = 3_600 });
        await using var aggregator = await live.StartAggregatorAsync("policy");
        await using var reporters = new LiveReporters(live.Network, [aggregator.Grpc]);
        var tokens = live.Network.Tokens.Select(t => t.Address).Order().ToArray();

        // The first confirmed round makes every token's first commit (section 5 step 7).
        var first = await live.NextConfirmedAsync(0, RoundTimeout);
        foreach (var token in tokens)
        {
            Assert.True((await live.Network.Oracle.TokenStateAsync(token)).Initialized, $"{token} not committed");
        }

        // Same factors, same circulating: every token Unchanged.
        var quiet = await RoundsInPhaseAsync(reporters, "quiet", 2);
        foreach (var round in quiet)
        {
            var state = await live.DecidedAsync(round, RoundTimeout);
            Assert.True(state.Step == RoundStep.Abandoned, $"round {round}: {state.Step}");
            Assert.Contains("left out by the commit policy", state.AbandonedReason, StringComparison.Ordinal);
            var closed = await live.EventAsync<RoundClosed>(round, RoundEventNames.RoundClosed);
            Assert.Equal(tokens.Select(t => $"{t}:left-out:Unchanged"), closed.Outcomes);
            Assert.Equal(0, await live.CountAsync(round, RoundEventNames.RoundProposed));
            Assert.Equal(0, await live.CountAsync(round, TransmissionEventNames.TransmissionIntended));
        }

        // Token 1 moves one tier: it alone is proposed and committed.
        reporters.Factor = (_, token) => token == 1 ? 550_000_000_000_000_000UL : 500_000_000_000_000_000UL;
        reporters.Phase = "moved";
        // After the quiet rounds, not after the first: a round closed before the first commit was mined read the oracle
        // before it and commits every token again (their first commit, step 7), which is right, but not this phase.
        var moved = await live.NextConfirmedAsync(quiet.Max(), RoundTimeout);
        var movedClosed = await live.EventAsync<RoundClosed>(moved, RoundEventNames.RoundClosed);
        Assert.Equal([$"{tokens[0]}:left-out:Unchanged", $"{tokens[1]}:in-report:Commit", $"{tokens[2]}:left-out:Unchanged"], movedClosed.Outcomes);
        Assert.Equal(550_000_000_000_000_000UL, (await live.Network.Oracle.FreeFloatFactorAsync(tokens[1])).Factor);

        var commits = await live.CommitsPerRoundAsync();
        Assert.True(commits.ContainsKey(first) && commits.ContainsKey(moved), "the first and the moved round are on chain");
        Assert.All(quiet, round => Assert.False(commits.ContainsKey(round), $"round {round} sent a transaction"));
    }

    private async Task<List<ulong>> RoundsInPhaseAsync(LiveReporters reporters, string phase, int count)
    {
        reporters.Phase = phase;
        using var cancel = new CancellationTokenSource(RoundTimeout * (count + 1));
        while (true)
        {
            var rounds = reporters.SignedPhases.Where(p => p.Value == phase && p.Key >= live.FirstLiveRound).Select(p => p.Key).Order().ToList();
            if (rounds.Count >= count + 1)
            {
                // The first round of a phase may have been signed just before the switch took effect: skip it.
                return rounds.Skip(1).Take(count).ToList();
            }

            await Task.Delay(200, cancel.Token);
        }
    }
}
