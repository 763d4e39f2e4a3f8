using DotNet.Testcontainers.Containers;
using Npgsql;
using SupplyOracle.Containers.Tests.Support;
using Xunit.Abstractions;

namespace SupplyOracle.Containers.Tests;

/// <summary>
/// The images of deploy/docker run as the compose topology (issue 22): rounds commit on chain, every HEALTHCHECK
/// reports healthy, the programs run as the images' non-root user, and an aggregator container stopped and started
/// again keeps its event store and goes on committing.
/// </summary>
public sealed class ComposeNetworkTests(ComposeNetworkFixture network, ITestOutputHelper output) : IClassFixture<ComposeNetworkFixture>
{
    private static readonly TimeSpan s_commitTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Network_ComposeTopology_CommitsThreeRoundsWithEveryContainerHealthy()
    {
        foreach (var line in network.Timings)
        {
            output.WriteLine(line);
        }

        var rounds = await network.WaitForCommitsAsync(3, s_commitTimeout);
        output.WriteLine($"committed rounds: {string.Join(", ", rounds)}");
        Assert.Equal(rounds.Order().Distinct(), rounds);
        foreach (var container in network.All)
        {
            Assert.True(container.Health == TestcontainersHealthStatus.Healthy, $"{container.Name} is {container.Health}\n{await network.LogsAsync()}");
        }
    }

    [Fact]
    public async Task Images_Programs_RunAsTheNonRootUser()
    {
        foreach (var container in new[] { network.Aggregator, network.Reporters[0] })
        {
            var id = await container.ExecAsync(["id", "-u"]);
            Assert.Equal("1654", id.Stdout.Trim());
            var owner = await container.ExecAsync(["stat", "-c", "%u", "/proc/1"]);
            Assert.Equal("1654", owner.Stdout.Trim());
        }

        foreach (var container in new[] { network.Postgres, network.Chain })
        {
            var owner = await container.ExecAsync(["stat", "-c", "%u", "/proc/1"]);
            Assert.NotEqual("0", owner.Stdout.Trim());
        }
    }

    [Fact]
    public async Task Aggregator_ContainerStoppedAndStarted_KeepsItsEventsAndCommitsOn()
    {
        var before = await network.WaitForCommitsAsync(1, s_commitTimeout);
        var (events, lastSequence) = await EventsAsync(null);
        Assert.True(events > 0, "the aggregator's event store is empty after a committed round");

        await network.Aggregator.StopAsync();
        await network.Aggregator.StartAsync();
        Assert.Equal(TestcontainersHealthStatus.Healthy, network.Aggregator.Health);

        var after = await network.WaitForCommitsAsync(before.Count + 2, s_commitTimeout);
        output.WriteLine($"committed before the restart: {string.Join(", ", before)}; after: {string.Join(", ", after)}");
        Assert.Equal(after.Order().Distinct(), after);
        Assert.Equal(before, after.Take(before.Count));
        var (kept, _) = await EventsAsync(lastSequence);
        Assert.Equal(events, kept);
    }

    /// <summary>The aggregator's events (Marten's mt_events in schema "eventstore", compose's aggregator.json) up to a sequence number.</summary>
    private async Task<(long Count, long LastSequence)> EventsAsync(long? upTo)
    {
        await using var connection = new NpgsqlConnection(network.DatabaseFromHost);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*), coalesce(max(seq_id), 0) FROM eventstore.mt_events WHERE seq_id <= @upTo", connection);
        command.Parameters.AddWithValue("upTo", upTo ?? long.MaxValue);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
