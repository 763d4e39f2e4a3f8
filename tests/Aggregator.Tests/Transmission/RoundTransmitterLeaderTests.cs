using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.EventStore.Leadership;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.Aggregator.Tests.Transmission;

/// <summary>Two transmitter replicas on one event store: the leader lease decides who sends (its own chain and database).</summary>
public sealed class RoundTransmitterLeaderTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    [Fact]
    public async Task TransmitAsync_TwoReplicasWithLeaderElection_OnlyLeaderSendsOneCommit()
    {
        var (report, attestations) = await RoundScenario.PrepareAsync(network, 46);
        var electionA = new LeaderElection(network.DataSource, "transmitter");
        var electionB = new LeaderElection(network.DataSource, "transmitter");
        var leaseA = await electionA.AcquireAsync(default);
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => electionB.AcquireAsync(wait.Token));

        Assert.Equal(TransmissionOutcome.Confirmed, await network.CreateTransmitter().TransmitAsync(report, attestations, 3, default, leaseA));
        await leaseA.DisposeAsync();
        await Assert.ThrowsAsync<NotLeaderException>(() => network.CreateTransmitter().TransmitAsync(report, attestations, 3, default, leaseA));
        await using var leaseB = await electionB.AcquireAsync(default);
        // The new leader finds the round settled in the shared log: it sends nothing.
        Assert.Equal(TransmissionOutcome.Confirmed, await network.CreateTransmitter().TransmitAsync(report, attestations, 3, default, leaseB));

        Assert.Equal(46UL, await network.Network.Oracle.LastRoundAsync());
        var confirmations = 0;
        await foreach (var e in network.Store.ReadStreamAsync(new StreamId("round-46"), ReadDirection.Forwards))
        {
            confirmations += e.Type == TransmissionEventNames.RoundConfirmed ? 1 : 0;
        }

        Assert.Equal(1, confirmations);
    }
}
