using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Subscriptions;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Internal;

public sealed class PgEventStorePlanTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    /// <summary>
    /// Regression: PL/pgSQL caches plans per connection. Appends made while the log was empty must not leave a cached
    /// plan that scans the whole events table on every later append (each append would then cost O(log size)).
    /// </summary>
    [Fact]
    public async Task AppendAsync_ConnectionWarmedOnEmptyLog_NeverSeqScansEventsOnceLogIsLarge()
    {
        // Auto-prepare (as recommended for throughput) stops Npgsql from resetting sessions with DISCARD ALL, which would
        // otherwise throw cached plans away on every reuse and hide the problem.
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString) { MaxAutoPrepare = 16 }.ConnectionString;
        await using var t = await TestStore.CreateAsync(connectionString, new EventStoreOptions { Schema = "es_plan_append" }, maxPoolSize: 1);
        for (var i = 0; i < 10; i++)
        {
            await t.Store.AppendAsync(new StreamId("warm"), ExpectedVersion.Any, TestStore.Events(3)); // > 5 runs: a generic plan would now be cached
        }

        // Grow the log the way a live store does: appends on the same connection.
        for (var i = 0; i < 60; i++)
        {
            await t.Store.AppendAsync(new StreamId("grow"), ExpectedVersion.Any, TestStore.Events(100));
        }

        var before = await SeqScansAsync(t);

        for (var i = 0; i < 10; i++)
        {
            await t.Store.AppendAsync(new StreamId("warm"), ExpectedVersion.Any, TestStore.Events(3));
        }

        Assert.Equal(6_060L, await t.Store.ReadHeadPositionAsync());
        Assert.Equal(before, await SeqScansAsync(t));
    }

    [Fact]
    public async Task ReadsAndSubscription_PreparedWhileLogEmpty_NeverSeqScanEventsOnceLogIsLarge()
    {
        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString) { MaxAutoPrepare = 16, AutoPrepareMinUsages = 2 }.ConnectionString;
        await using var t = await TestStore.CreateAsync(connectionString, new EventStoreOptions { Schema = "es_plan" }, maxPoolSize: 1);
        await SeenProjection.CreateTableAsync(t.DataSource, "plan_seen");
        var subscription = new CatchUpSubscription(t.DataSource, new SeenProjection("plan_seen"), new SubscriptionOptions { Schema = t.Schema, BatchSize = 50 });
        for (var i = 0; i < 10; i++)
        {
            await t.Store.AppendAsync(new StreamId("r"), ExpectedVersion.Any, TestStore.Events(1));
            await t.ReadAllAsync(i);
            await foreach (var _ in t.Store.ReadStreamAsync(new StreamId("r"), ReadDirection.Backwards, maxCount: 2))
            {
            }

            await subscription.ProcessBatchAsync(default);
        }

        for (var i = 0; i < 60; i++)
        {
            await t.Store.AppendAsync(new StreamId($"grow-{i % 7}"), ExpectedVersion.Any, TestStore.Events(100));
        }

        var before = await SeqScansAsync(t);
        for (var i = 0; i < 10; i++)
        {
            await t.ReadAllAsync(6_000 + i);
            await foreach (var _ in t.Store.ReadStreamAsync(new StreamId("r"), ReadDirection.Backwards, maxCount: 2))
            {
            }

            await subscription.ProcessBatchAsync(default);
        }

        Assert.Equal(before, await SeqScansAsync(t));
    }

    private static async Task<long> SeqScansAsync(TestStore t)
    {
        await t.ScalarAsync<object>("SELECT pg_stat_force_next_flush()");
        await t.ScalarAsync<object>("SELECT 1"); // the flush happens when the backend goes idle after a transaction
        await Task.Delay(100);
        return await t.ScalarAsync<long>($"SELECT seq_scan FROM pg_stat_user_tables WHERE schemaname = '{t.Schema}' AND relname = 'events'");
    }
}
