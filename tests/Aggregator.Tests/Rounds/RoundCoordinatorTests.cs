using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;

namespace SupplyOracle.Aggregator.Tests.Rounds;

/// <summary>
/// The running round loop (in process) against a live anvil (a block a second), PostgreSQL and five in-process reporters
/// using the reporter's own connection and attester: rounds commit on chain by themselves.
/// </summary>
public sealed class RoundCoordinatorTests(LiveNetwork live) : IClassFixture<LiveNetwork>
{
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task RunAsync_ReportersAgreeThenDivergeThenEquivocate_CommitsEachRoundOnceFreezesAndDropsEquivocator()
    {
        await using var aggregator = await live.StartAggregatorAsync("live-a");
        await using var reporters = new LiveReporters(live.Network, [aggregator.Grpc]);
        var tokens = live.Network.Tokens.Select(t => t.Address).Order().ToArray();

        // Several rounds with every reporter agreeing: each is committed with all three tokens.
        var agreed = await RoundsInPhaseAsync(reporters, "agree", 3);
        foreach (var round in agreed)
        {
            var state = await live.DecidedAsync(round, RoundTimeout);
            Assert.True(state.Step == RoundStep.Confirmed, $"round {round}: {state.Step} {state.AbandonedReason}");
        }

        var factor = await live.Network.Oracle.FreeFloatFactorAsync(tokens[0]);
        Assert.Equal(500_000_000_000_000_000UL, factor.Factor);

        // Token 2: two reporters at 0.5, two at 0.8, one at 0.2: the median 0.5 has 2 agreeing < minReporters 3 (section 5 step 5).
        reporters.Factor = (reporter, token) => token != 2 ? 500_000_000_000_000_000UL : reporter switch
        {
            0 or 1 => 500_000_000_000_000_000UL,
            2 or 3 => 800_000_000_000_000_000UL,
            _ => 200_000_000_000_000_000UL,
        };
        var diverged = (await RoundsInPhaseAsync(reporters, "diverge", 1))[0];
        Assert.Equal(RoundStep.Confirmed, (await live.DecidedAsync(diverged, RoundTimeout)).Step);
        var frozen = await live.Network.Oracle.FreeFloatFactorAsync(tokens[2]);
        Assert.True(frozen.Frozen);
        Assert.Equal(500_000_000_000_000_000UL, frozen.Factor);
        Assert.False((await live.Network.Oracle.FreeFloatFactorAsync(tokens[0])).Frozen);

        // Reporter 4 signs two batches for one round: both dropped, the four others still commit.
        reporters.Factor = (_, _) => 500_000_000_000_000_000UL;
        reporters.Modes[4] = ReporterMode.Equivocate;
        var equivocated = (await RoundsInPhaseAsync(reporters, "equivocate", 1))[0];
        reporters.Modes[4] = ReporterMode.Attest;
        Assert.Equal(RoundStep.Confirmed, (await live.DecidedAsync(equivocated, RoundTimeout)).Step);
        var closed = await live.EventAsync<RoundClosed>(equivocated, RoundEventNames.RoundClosed);
        Assert.Equal([live.Network.Reporters[4].Address.ToChecksumString()], closed.Equivocators);
        Assert.Equal(4, closed.BatchesUsed);
        var proposed = await live.EventAsync<RoundProposed>(equivocated, RoundEventNames.RoundProposed);
        Assert.Equal(4, proposed.Evidence.Count);

        var commits = await live.CommitsPerRoundAsync();
        Assert.All(commits, c => Assert.Equal(1, c.Value));
        Assert.Subset(commits.Keys.ToHashSet(), new HashSet<ulong>([.. agreed, diverged, equivocated]));
    }

    [Fact]
    public async Task RunAsync_OnlyTwoReportersAttest_RoundAbandonedWithQuorumReason()
    {
        await using var aggregator = await live.StartAggregatorAsync("live-q", attestationTimeout: TimeSpan.FromSeconds(2));
        await using var reporters = new LiveReporters(live.Network, [aggregator.Grpc], new HashSet<int> { 2, 3, 4 });

        var round = (await RoundsInPhaseAsync(reporters, "no-quorum", 1))[0];
        var state = await live.DecidedAsync(round, RoundTimeout);

        Assert.Equal(RoundStep.Abandoned, state.Step);
        Assert.StartsWith("no quorum: 2 of 3 attestations", state.AbandonedReason, StringComparison.Ordinal);
        Assert.False((await live.CommitsPerRoundAsync()).ContainsKey(round));
    }

    [Fact]
    public async Task RunAsync_TwoReplicasOnOneDatabase_ExactlyOneCommitPerRound()
    {
        await using var first = await live.StartAggregatorAsync("replica-1");
        await using var second = await live.StartAggregatorAsync("replica-2");
        await using var reporters = new LiveReporters(live.Network, [first.Grpc, second.Grpc]);

        var rounds = await RoundsInPhaseAsync(reporters, "replicas", 3);
        foreach (var round in rounds)
        {
            var state = await live.DecidedAsync(round, RoundTimeout);
            Assert.True(state.Step == RoundStep.Confirmed, $"round {round}: {state.Step} {state.AbandonedReason}");
            Assert.Equal(1, await live.CountAsync(round, RoundEventNames.RoundProposed));
            Assert.Equal(1, await live.CountAsync(round, SupplyOracle.Aggregator.Transmission.TransmissionEventNames.RoundConfirmed));
        }

        await live.AssertSettledAsync(rounds[0], rounds[^1]);
    }

    private async Task<List<ulong>> RoundsInPhaseAsync(LiveReporters reporters, string phase, int count)
    {
        reporters.Phase = phase;
        using var cancel = new CancellationTokenSource(RoundTimeout * count);
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
