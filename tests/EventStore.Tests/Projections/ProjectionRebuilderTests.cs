using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Subscriptions;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Projections;

public sealed class ProjectionRebuilderTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task RebuildAsync_InlineProjectionAfterConcurrentLoad_RebuiltEqualsLive()
    {
        var projection = new StreamCountProjection("inline_counts");
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_rb_inline", InlineProjections = [projection] });
        await StreamCountProjection.CreateTableAsync(t.DataSource, "inline_counts");
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await t.Store.AppendAsync(new StreamId($"s{(w + i) % 5}"), ExpectedVersion.Any, TestStore.Events(1 + (i % 3), $"type.{i % 4}"));
            }
        })));

        var result = await new ProjectionRebuilder(t.DataSource, t.Schema, batchSize: 17).RebuildAsync(projection, ProjectionMode.Inline, RebuildCommit.KeepRebuilt);

        Assert.True(result.Matches, $"{result.LiveDigest} != {result.RebuiltDigest}");
        Assert.Equal(await t.Store.ReadHeadPositionAsync(), result.Position);
        Assert.Equal(result.Position, result.EventsReplayed);
        Assert.Equal(result.Position, await t.ScalarAsync<decimal>("SELECT sum(events) FROM inline_counts"));
    }

    [Fact]
    public async Task RebuildAsync_AsyncProjectionTamperedLive_ReportsMismatchAndRepairs()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_rb_async" });
        await StreamCountProjection.CreateTableAsync(t.DataSource, "async_counts");
        var projection = new StreamCountProjection("async_counts");
        for (var i = 0; i < 30; i++)
        {
            await t.Store.AppendAsync(new StreamId($"s{i % 4}"), ExpectedVersion.Any, TestStore.Events(2, $"type.{i % 3}"));
        }

        var subscription = new CatchUpSubscription(t.DataSource, projection, new SubscriptionOptions { Schema = t.Schema, BatchSize = 25 });
        while (await subscription.ProcessBatchAsync(default) > 0)
        {
        }

        // More events after the checkpoint: the rebuild must replay to the checkpoint only, to compare like with like.
        await t.Store.AppendAsync(new StreamId("late"), ExpectedVersion.Any, TestStore.Events(3));
        var rebuilder = new ProjectionRebuilder(t.DataSource, t.Schema);
        var clean = await rebuilder.RebuildAsync(projection, ProjectionMode.Async, RebuildCommit.VerifyOnly);
        Assert.True(clean.Matches);
        Assert.Equal(60L, clean.Position);

        var s2Events = await t.ScalarAsync<long>("SELECT count(*) FROM {s}.events WHERE stream_id = 's2'");
        await t.ExecuteAsync("UPDATE async_counts SET events = events + 1 WHERE stream_id = 's2'");
        var verify = await rebuilder.RebuildAsync(projection, ProjectionMode.Async, RebuildCommit.VerifyOnly);
        Assert.False(verify.Matches);
        Assert.Equal(s2Events + 1, await t.ScalarAsync<long>("SELECT events FROM async_counts WHERE stream_id = 's2'")); // rolled back: still tampered

        var repair = await rebuilder.RebuildAsync(projection, ProjectionMode.Async, RebuildCommit.KeepRebuilt);
        Assert.False(repair.Matches);
        Assert.Equal(verify.RebuiltDigest, repair.RebuiltDigest);
        Assert.Equal(s2Events, await t.ScalarAsync<long>("SELECT events FROM async_counts WHERE stream_id = 's2'"));
        Assert.True((await rebuilder.RebuildAsync(projection, ProjectionMode.Async, RebuildCommit.VerifyOnly)).Matches);
    }

    [Fact]
    public async Task RebuildAsync_ProjectionWithBadTableName_Throws()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_rb_bad" });
        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            new ProjectionRebuilder(t.DataSource, t.Schema).RebuildAsync(new StreamCountProjection("x; drop table y"), ProjectionMode.Async, RebuildCommit.VerifyOnly));
        Assert.Contains("x; drop table y", e.Message, StringComparison.Ordinal);
    }
}
