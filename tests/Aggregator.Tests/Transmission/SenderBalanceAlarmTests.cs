using System.Globalization;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using H = SupplyOracle.Aggregator.Tests.Support.TransmissionHarness;

namespace SupplyOracle.Aggregator.Tests.Transmission;

/// <summary>The low-balance alarm against a real anvil balance (anvil_setBalance) and the real event store.</summary>
public sealed class SenderBalanceAlarmTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    private static readonly Wei s_threshold = Wei.FromEther(1);

    [Fact]
    public async Task CheckAsync_BalanceCrossesThreshold_RaisedOnceClearedWhenRefilledAndRememberedAcrossRestart()
    {
        var alarm = NewAlarm();
        await SetBalanceAsync(Wei.FromEther(5));
        Assert.False(await alarm.CheckAsync(300_000, default));
        var before = (await TypesAsync()).Count;

        await SetBalanceAsync(Wei.FromEther(0.5m));
        Assert.True(await alarm.CheckAsync(300_000, default));
        Assert.True(await alarm.CheckAsync(300_000, default)); // still low: no second alarm
        Assert.True(await NewAlarm().CheckAsync(300_000, default)); // a restarted process: the alarm is remembered, not raised again
        Assert.True(alarm.IsLow);
        Assert.Equal(Wei.FromEther(0.5m), alarm.LastBalance);

        await SetBalanceAsync(Wei.FromEther(2));
        Assert.False(await alarm.CheckAsync(300_000, default));
        Assert.False(alarm.IsLow);

        Assert.Equal([TransmissionEventNames.SenderBalanceLow, TransmissionEventNames.SenderBalanceRestored], (await TypesAsync()).Skip(before));
    }

    [Fact]
    public async Task TransmitAsync_DefaultThresholdOfTenCommitsAtTheCeiling_AlarmRaisedBeforeTheSendAndCommitStillSent()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        // Default threshold: 10 commits × 500 gwei × gas (the commit's gas limit before any was confirmed) — far above 0.2 ETH.
        var alarm = new SenderBalanceAlarm(network.Store, network.Network.Client, H.SenderAddress,
            new SenderBalanceAlarmOptions { FeeCeiling = Wei.FromGwei(500) });
        await SetBalanceAsync(Wei.FromEther(0.2m));
        var before = (await TypesAsync()).Count;

        Assert.Equal(TransmissionOutcome.Confirmed, await H.Transmitter(network, alarm: alarm).TransmitAsync(report, attestations, 3, default));

        Assert.True(alarm.IsLow);
        var intended = (await H.EventsAsync(network, report.Header.Round.Value)).Select(e => e.Event).OfType<TransmissionIntended>().Single();
        Assert.Equal(Wei.FromGwei(500) * (intended.GasLimit * 10), alarm.LastThreshold);
        var types = await TypesAsync();
        Assert.Equal(before + 1, types.Count);
        Assert.Equal(TransmissionEventNames.SenderBalanceLow, types[^1]);
        await SetBalanceAsync(Wei.FromEther(100));
    }

    [Fact]
    public void Options_ZeroCommits_NamesTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SenderBalanceAlarmOptions { FeeCeiling = Wei.FromGwei(1), Commits = 0 }.Validate());
        Assert.Equal("Commits", ex.ParamName);
    }

    private SenderBalanceAlarm NewAlarm() =>
        new(network.Store, network.Network.Client, H.SenderAddress, new SenderBalanceAlarmOptions { Threshold = s_threshold, FeeCeiling = Wei.FromGwei(500) });

    private Task SetBalanceAsync(Wei balance) =>
        network.Network.Node.RpcAsync("anvil_setBalance", H.SenderAddress.ToString(), "0x" + balance.Value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0'));

    private async Task<List<string>> TypesAsync()
    {
        var types = new List<string>();
        await foreach (var e in network.Store.ReadStreamAsync(TransmissionEventNames.TransmitterStream))
        {
            types.Add(e.Type);
        }

        return types;
    }
}
