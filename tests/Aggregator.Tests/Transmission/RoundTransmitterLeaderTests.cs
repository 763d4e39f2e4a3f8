using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Aggregator.Transmission;

namespace SupplyOracle.Aggregator.Tests.Transmission;

/// <summary>
/// Two transmitter replicas on one database, each with its own Marten daemon in HotCold mode: the holder of the query
/// projection's lock transmits (its own chain and database).
/// </summary>
public sealed class RoundTransmitterLeaderTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TransmitAsync_TwoReplicasWithDaemonLeadership_OnlyLeaderSendsOneCommit()
    {
        var (report, attestations) = await RoundScenario.PrepareAsync(network, 46);
        var replicaA = await StartReplicaAsync();
        var leaseA = await LeaseAsync(replicaA);
        await using var replicaB = await StartReplicaAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Null(replicaB.Leadership!.Current); // one lock, one leader

        Assert.Equal(TransmissionOutcome.Confirmed, await network.CreateTransmitter().TransmitAsync(report, attestations, 3, default, leaseA));
        await replicaA.DisposeAsync(); // replica A stops: its daemon gives the lock up
        Assert.False(leaseA.IsHeld);
        await Assert.ThrowsAsync<NotLeaderException>(() => network.CreateTransmitter().TransmitAsync(report, attestations, 3, default, leaseA));
        var leaseB = await LeaseAsync(replicaB);
        // The new leader finds the round settled in the shared log: it sends nothing.
        Assert.Equal(TransmissionOutcome.Confirmed, await network.CreateTransmitter().TransmitAsync(report, attestations, 3, default, leaseB));

        Assert.Equal(46UL, await network.Network.Oracle.LastRoundAsync());
        var confirmations = 0;
        await foreach (var e in network.Store.ReadStreamAsync("round-46"))
        {
            confirmations += e.Type == TransmissionEventNames.RoundConfirmed ? 1 : 0;
        }

        Assert.Equal(1, confirmations);
    }

    private Task<AggregatorEventStore> StartReplicaAsync() =>
        AggregatorEventStore.StartAsync(network.DataSource, new AggregatorStoreOptions("eventstore", new QuerySchema()), NullLoggerFactory.Instance,
            TimeProvider.System, default);

    private static async Task<TransmitterLease> LeaseAsync(AggregatorEventStore replica)
    {
        using var cancel = new CancellationTokenSource(Failover);
        while (true)
        {
            if (replica.Leadership!.Current is { } lease)
            {
                return lease;
            }

            await Task.Delay(100, cancel.Token);
        }
    }
}
