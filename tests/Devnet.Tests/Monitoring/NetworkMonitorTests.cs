using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Monitoring;

namespace SupplyOracle.Devnet.Tests.Monitoring;

public sealed class NetworkMonitorTests
{
    private static readonly Address s_token = Address.Parse("0x1000000000000000000000000000000000000001");

    [Theory]
    [InlineData(5UL, 0UL, 0UL, 0, "waiting for the first reference block")]
    [InlineData(300UL, 30UL, 29UL, 0, "round 30: reference block 300 mined, 2 confirmation(s) to go")]
    [InlineData(301UL, 30UL, 29UL, 0, "round 30: reference block 300 mined, 1 confirmation(s) to go")]
    [InlineData(303UL, 30UL, 29UL, 4, "round 30: observing and aggregating (4 batch(es) accepted)")]
    [InlineData(305UL, 30UL, 30UL, 5, "round 30 committed")]
    public void Phase_HeadAndLastRound_DescribesTheRound(ulong head, ulong round, ulong lastRound, int batches, string expected) =>
        Assert.Equal(expected, NetworkMonitor.Phase(head, round, lastRound, batches, 10, paused: false, abandoned: null));

    [Fact]
    public void Phase_GloballyPaused_SaysCommitsRevertNotObserving()
    {
        var phase = NetworkMonitor.Phase(303, 30, 29, 4, 10, paused: true, abandoned: null);

        Assert.StartsWith("oracle paused by the guardian", phase, StringComparison.Ordinal);
        Assert.DoesNotContain("observing and aggregating", phase, StringComparison.Ordinal);
    }

    [Fact]
    public void Phase_RoundAbandoned_ShowsTheReason()
    {
        var phase = NetworkMonitor.Phase(309, 30, 29, 1, 10, paused: false, abandoned: "below quorum at the deadline: 1 valid batch(es)");

        Assert.Equal("round 30 abandoned: below quorum at the deadline: 1 valid batch(es)", phase);
    }

    [Theory]
    [InlineData(false, false, false, false, "fresh")]
    [InlineData(false, false, true, false, "stale")]
    [InlineData(false, true, false, false, "frozen")]
    [InlineData(true, false, false, false, "paused")]
    [InlineData(false, false, false, true, "paused")]
    [InlineData(true, true, true, true, "paused")]
    public void ToStatus_ContractFlags_StatusAsTheContractJudges(bool tokenPaused, bool frozen, bool stale, bool globalPause, string expected)
    {
        // freeFloatFactor's frozen already includes the pauses; stale comes from the contract (chain time and the
        // on-chain reportStaleAfter), never from the devnet's own parameters or clock.
        var view = new SupplyOracleContract.TokenView(true, true, frozen, tokenPaused, 18, 500_000_000_000_000_000, 1_000, 500_000_000_000_000_000, 1_000,
            new BigInteger(5));
        var read = new SupplyOracleContract.FreeFloatFactorResult(500_000_000_000_000_000, 1_000, frozen || tokenPaused || globalPause, stale);

        var status = NetworkMonitor.ToStatus("AUR", s_token, view, read, globalPause);

        Assert.Equal(expected, status.Status);
    }
}
