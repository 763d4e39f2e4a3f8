using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Rounds;

/// <summary>The round loop while its PostgreSQL server is restarted mid-round (its own server, immediate shutdown).</summary>
public sealed class RoundCoordinatorPostgresRestartTests(OwnedPostgresLiveNetwork live) : IClassFixture<OwnedPostgresLiveNetwork>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunAsync_PostgresRestartedMidRound_RoundsResumeAndEachIsSettledOnce()
    {
        await using var aggregator = await live.StartAggregatorAsync("pg-restart");
        await using var reporters = new LiveReporters(live.Network, [aggregator.Grpc]);
        var before = await live.NextConfirmedAsync(0, Timeout);
        var midRound = await OpenRoundAfterAsync(before);

        await live.Server!.RestartAsync(PostgresStopMode.Immediate);

        var after = await live.NextConfirmedAsync(midRound, Timeout);
        await live.AssertSettledAsync(1, after);
        var state = await live.RoundAsync(midRound);
        Assert.True(state.IsDecided, $"round {midRound}: {state.Step}");
    }

    private async Task<ulong> OpenRoundAfterAsync(ulong round)
    {
        using var cancel = new CancellationTokenSource(Timeout);
        while (true)
        {
            var head = await live.Network.Client.BlockNumberAsync();
            for (var r = round + 1; r <= head / LiveNetwork.RoundBlocks; r++)
            {
                if ((await live.RoundAsync(r)).Step is RoundStep.Opened or RoundStep.Proposed)
                {
                    return r;
                }
            }

            await Task.Delay(50, cancel.Token);
        }
    }
}
