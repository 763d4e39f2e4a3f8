using SupplyOracle.Devnet.Monitoring;

namespace SupplyOracle.Devnet.Tests.Monitoring;

public sealed class NetworkMonitorTests
{
    [Theory]
    [InlineData(5UL, 0UL, 0UL, 0, "waiting for the first reference block")]
    [InlineData(300UL, 30UL, 29UL, 0, "round 30: reference block 300 mined, 2 confirmation(s) to go")]
    [InlineData(301UL, 30UL, 29UL, 0, "round 30: reference block 300 mined, 1 confirmation(s) to go")]
    [InlineData(303UL, 30UL, 29UL, 4, "round 30: observing and aggregating (4 batch(es) accepted)")]
    [InlineData(305UL, 30UL, 30UL, 5, "round 30 committed")]
    public void Phase_HeadAndLastRound_DescribesTheRound(ulong head, ulong round, ulong lastRound, int batches, string expected) =>
        Assert.Equal(expected, NetworkMonitor.Phase(head, round, lastRound, batches, 10));
}
