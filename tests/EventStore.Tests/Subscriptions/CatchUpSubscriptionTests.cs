using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Subscriptions;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Subscriptions;

public sealed class CatchUpSubscriptionTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task ProcessBatchAsync_ProjectionThrows_CheckpointAndWritesRollBackTogether()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_sub_fail" });
        await SeenProjection.CreateTableAsync(t.DataSource, "fail_seen");
        await t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.Any, TestStore.Events(10));
        var failing = new FailingAfterWriteProjection(new SeenProjection("fail_seen"));
        var options = new SubscriptionOptions { Schema = t.Schema, BatchSize = 4 };

        Assert.Equal(4, await new CatchUpSubscription(t.DataSource, failing, options).ProcessBatchAsync(default));
        failing.Fail = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => new CatchUpSubscription(t.DataSource, failing, options).ProcessBatchAsync(default));

        Assert.Equal(4L, await t.ScalarAsync<long>("SELECT position FROM {s}.checkpoints"));
        Assert.Equal(4L, await t.ScalarAsync<long>("SELECT count(*) FROM fail_seen"));
        failing.Fail = false;
        var resumed = new CatchUpSubscription(t.DataSource, failing, options);
        Assert.Equal(4, await resumed.ProcessBatchAsync(default));
        Assert.Equal(2, await resumed.ProcessBatchAsync(default));
        Assert.Equal(0, await resumed.ProcessBatchAsync(default));
        Assert.Equal(10L, resumed.Checkpoint);
        Assert.Equal(10L, await t.ScalarAsync<long>("SELECT count(*) FROM fail_seen"));
    }

    [Fact]
    public async Task RunAsync_TwoReplicasOfOneSubscription_EachEventAppliedOnce()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_sub_two" });
        await SeenProjection.CreateTableAsync(t.DataSource, "two_seen");
        var projectionA = new SeenProjection("two_seen");
        var projectionB = new SeenProjection("two_seen");
        var options = new SubscriptionOptions { Schema = t.Schema, BatchSize = 7, PollInterval = TimeSpan.FromMilliseconds(50) };
        var a = new CatchUpSubscription(t.DataSource, projectionA, options);
        var b = new CatchUpSubscription(t.DataSource, projectionB, options);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var runs = new[] { a.RunAsync(stop.Token), b.RunAsync(stop.Token) };

        for (var i = 0; i < 60; i++)
        {
            await t.Store.AppendAsync(new StreamId($"s{i % 3}"), ExpectedVersion.Any, TestStore.Events(5));
        }

        while (await t.ScalarAsync<long>("SELECT position FROM {s}.checkpoints WHERE name = 'seen_two_seen'") < 300)
        {
            await Task.Delay(20, stop.Token);
        }

        await stop.CancelAsync();
        await Task.WhenAll(runs);
        var applied = projectionA.Applied.Concat(projectionB.Applied).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), applied);
        Assert.Equal(300L, await t.ScalarAsync<long>("SELECT count(*) FROM two_seen"));
    }

    [Fact]
    public async Task RunAsync_LiveAppends_WokenByNotifyBeforePollInterval()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_sub_live" });
        await SeenProjection.CreateTableAsync(t.DataSource, "live_seen");
        var projection = new SeenProjection("live_seen");
        var subscription = new CatchUpSubscription(t.DataSource, projection,
            new SubscriptionOptions { Schema = t.Schema, PollInterval = TimeSpan.FromMinutes(10) });
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var run = subscription.RunAsync(stop.Token);
        while (subscription.Checkpoint < 0)
        {
            await Task.Delay(10, stop.Token);
        }

        await Task.Delay(200, stop.Token); // idle, waiting: only a NOTIFY can wake it within the test's minute
        await t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.Any, TestStore.Events(3));
        while (subscription.Checkpoint < 3)
        {
            Assert.False(run.IsCompleted);
            await Task.Delay(10, stop.Token);
        }

        await stop.CancelAsync();
        await run;
        Assert.Equal([1L, 2, 3], projection.Applied);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        using var dataSource = Npgsql.NpgsqlDataSource.Create(postgres.ConnectionString);
        var projection = new SeenProjection("x");
        Assert.Throws<ArgumentOutOfRangeException>(() => new CatchUpSubscription(dataSource, projection, new SubscriptionOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CatchUpSubscription(dataSource, projection, new SubscriptionOptions { PollInterval = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new CatchUpSubscription(dataSource, projection, new SubscriptionOptions { Schema = "Bad-Name" }));
    }

    private sealed class FailingAfterWriteProjection(IProjection inner) : IProjection
    {
        public bool Fail { get; set; }

        public string Name => inner.Name;

        public IReadOnlyList<string> Tables => inner.Tables;

        public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
        {
            await inner.ApplyAsync(context, events, cancellationToken);
            if (Fail)
            {
                throw new InvalidOperationException("projection bug after its writes");
            }
        }
    }
}
