using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Internal;

public sealed class PgEventStoreReadTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static async Task<List<RecordedEvent>> ToListAsync(IAsyncEnumerable<RecordedEvent> source)
    {
        var list = new List<RecordedEvent>();
        await foreach (var e in source)
        {
            list.Add(e);
        }

        return list;
    }

    [Fact]
    public async Task ReadStreamAsync_ForwardsAndBackwards_ReturnsVersionsInOrder()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_read" });
        var s = new StreamId("s");
        await t.Store.AppendAsync(s, ExpectedVersion.NoStream, TestStore.Events(3));
        await t.Store.AppendAsync(new StreamId("x"), ExpectedVersion.NoStream, TestStore.Events(2));
        await t.Store.AppendAsync(s, ExpectedVersion.Exact(2), TestStore.Events(2));

        var forwards = await ToListAsync(t.Store.ReadStreamAsync(s, ReadDirection.Forwards));
        Assert.Equal([0L, 1, 2, 3, 4], forwards.Select(e => e.Version));
        Assert.Equal([1L, 2, 3, 6, 7], forwards.Select(e => e.Position));

        var backwards = await ToListAsync(t.Store.ReadStreamAsync(s, ReadDirection.Backwards, maxCount: 3));
        Assert.Equal([4L, 3, 2], backwards.Select(e => e.Version));
        var backFrom = await ToListAsync(t.Store.ReadStreamAsync(s, ReadDirection.Backwards, from: 1));
        Assert.Equal([1L, 0], backFrom.Select(e => e.Version));
        var forwardFrom = await ToListAsync(t.Store.ReadStreamAsync(s, ReadDirection.Forwards, from: 3, maxCount: 1));
        Assert.Equal([3L], forwardFrom.Select(e => e.Version));
        Assert.Empty(await ToListAsync(t.Store.ReadStreamAsync(new StreamId("missing"), ReadDirection.Forwards)));
    }

    [Fact]
    public async Task ReadAllAsync_FromPosition_ReturnsLaterEventsInPositionOrder()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_readall" });
        for (var i = 0; i < 5; i++)
        {
            await t.Store.AppendAsync(new StreamId($"s{i % 2}"), ExpectedVersion.Any, TestStore.Events(2));
        }

        var page = await ToListAsync(t.Store.ReadAllAsync(3, 4));
        Assert.Equal([4L, 5, 6, 7], page.Select(e => e.Position));
        Assert.Equal(10, (await t.ReadAllAsync()).Count);
        Assert.Empty(await t.ReadAllAsync(10));
    }

    [Fact]
    public async Task ReadStreamAsync_NegativeArguments_Throw()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_readbad" });
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ToListAsync(t.Store.ReadStreamAsync(new StreamId("s"), ReadDirection.Forwards, from: -1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ToListAsync(t.Store.ReadAllAsync(-1, 10)));
    }
}
