using System.Collections.Concurrent;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Subscriptions;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Reliability;

/// <summary>Crash-restarts its own PostgreSQL server (immediate shutdown, then crash recovery) in the middle of a load.</summary>
public sealed class ServerRestartTests : IAsyncLifetime
{
    private const int Writers = 8;
    private const int AppendsPerWriter = 150;
    private const int BatchSize = 5;
    private PostgresServer _server = null!;

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync(requireOwned: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AppendAsync_ServerCrashRestartedMidLoad_RetriesLoseNothingAndCheckpointNeverAheadOfProjection()
    {
        var connectionString = await _server.CreateDatabaseAsync("restart");
        await using var t = await TestStore.CreateAsync(connectionString, new EventStoreOptions { Schema = "es_restart" });
        await SeenProjection.CreateTableAsync(t.DataSource, "restart_seen");
        var projection = new SeenProjection("restart_seen");
        var subscription = new CatchUpSubscription(t.DataSource, projection, new SubscriptionOptions
        {
            Schema = t.Schema, BatchSize = 50, PollInterval = TimeSpan.FromMilliseconds(100), RetryDelay = TimeSpan.FromMilliseconds(100),
        });
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var subscriber = subscription.RunAsync(stop.Token);

        var transientErrors = 0;
        var invariantChecks = 0;
        var progress = new ConcurrentDictionary<int, int>();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var stream = new StreamId($"w-{w}");
            for (var i = 0; i < AppendsPerWriter; i++)
            {
                var events = TestStore.Events(BatchSize);
                var expected = i == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(((long)i * BatchSize) - 1);
                while (true)
                {
                    try
                    {
                        var result = await t.Store.AppendAsync(stream, expected, events, stop.Token);
                        Assert.Equal(((long)(i + 1) * BatchSize) - 1, result.StreamVersion);
                        break;
                    }
                    catch (EventStoreDatabaseException e) when (e.IsTransient)
                    {
                        // Outcome unknown: retry the very same events; their ids make the retry idempotent.
                        Interlocked.Increment(ref transientErrors);
                        await Task.Delay(20, stop.Token);
                    }
                }

                progress[w] = i;
            }
        })).ToArray();

        // Checkpoint and projection rows move in one transaction: whenever we look, they agree exactly.
        var watcher = Task.Run(async () =>
        {
            while (!writers.All(w => w.IsCompleted))
            {
                try
                {
                    var gap = await t.ScalarAsync<long>(
                        "SELECT coalesce((SELECT position FROM {s}.checkpoints WHERE name = 'seen_restart_seen'), 0) - (SELECT count(*) FROM restart_seen)");
                    Assert.Equal(0L, gap);
                    Interlocked.Increment(ref invariantChecks);
                }
                catch (Npgsql.NpgsqlException)
                {
                    // Server down: look again later.
                }

                await Task.Delay(10);
            }
        });

        while (progress.Values.Sum() < Writers * AppendsPerWriter / 3)
        {
            await Task.Delay(10, stop.Token);
        }

        await _server.RestartAsync(PostgresStopMode.Immediate);
        await Task.WhenAll(writers);
        await watcher;

        const long total = Writers * AppendsPerWriter * BatchSize;
        Assert.True(transientErrors > 0, "the restart did not interrupt any append: the test proved nothing");
        Assert.True(invariantChecks > 0);
        Assert.Equal(total, await t.Store.ReadHeadPositionAsync());
        var all = await t.ReadAllAsync();
        Assert.Equal(Enumerable.Range(1, (int)total).Select(i => (long)i), all.Select(e => e.Position));
        Assert.Equal((int)total, all.Select(e => e.EventId).Distinct().Count());

        while (subscription.Checkpoint < total)
        {
            Assert.False(subscriber.IsCompleted, subscriber.Exception?.ToString());
            await Task.Delay(50, stop.Token);
        }

        await stop.CancelAsync();
        await subscriber;
        Assert.Equal(total, await t.ScalarAsync<long>("SELECT count(*) FROM restart_seen"));
        Assert.Equal(total, await t.ScalarAsync<long>("SELECT position FROM {s}.checkpoints WHERE name = 'seen_restart_seen'"));
    }
}
