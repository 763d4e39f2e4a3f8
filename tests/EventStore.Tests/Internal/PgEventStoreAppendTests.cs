using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Internal;

public sealed class PgEventStoreAppendTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task AppendAsync_NewStreamWithNoStream_ReturnsVersionsAndPositions()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_new" });
        var a = await t.Store.AppendAsync(new StreamId("a"), ExpectedVersion.NoStream, TestStore.Events(3));
        var b = await t.Store.AppendAsync(new StreamId("b"), ExpectedVersion.NoStream, TestStore.Events(2));

        Assert.Equal(new AppendResult(2, 1, 3, false), a);
        Assert.Equal(new AppendResult(1, 4, 5, false), b);
        Assert.Equal(5L, await t.Store.ReadHeadPositionAsync());
        Assert.Equal(2L, await t.Store.ReadStreamVersionAsync(new StreamId("a")));
        Assert.Null(await t.Store.ReadStreamVersionAsync(new StreamId("none")));
    }

    [Fact]
    public async Task AppendAsync_EachExpectation_RefusedExactlyWhenNotMet()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_expect" });
        var s = new StreamId("s");

        var exists = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => t.Store.AppendAsync(s, ExpectedVersion.StreamExists, TestStore.Events(1)));
        Assert.Null(exists.ActualVersion);
        var exact = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => t.Store.AppendAsync(s, ExpectedVersion.Exact(0), TestStore.Events(1)));
        Assert.Null(exact.ActualVersion);

        await t.Store.AppendAsync(s, ExpectedVersion.NoStream, TestStore.Events(2)); // versions 0, 1
        var noStream = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => t.Store.AppendAsync(s, ExpectedVersion.NoStream, TestStore.Events(1)));
        Assert.Equal(1L, noStream.ActualVersion);
        Assert.Equal(ExpectedVersion.NoStream, noStream.Expected);
        Assert.Equal(s, noStream.Stream);
        Assert.False(noStream.IsTransient);
        var stale = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => t.Store.AppendAsync(s, ExpectedVersion.Exact(0), TestStore.Events(1)));
        Assert.Equal(1L, stale.ActualVersion);

        Assert.Equal(2L, (await t.Store.AppendAsync(s, ExpectedVersion.Exact(1), TestStore.Events(1))).StreamVersion);
        Assert.Equal(3L, (await t.Store.AppendAsync(s, ExpectedVersion.StreamExists, TestStore.Events(1))).StreamVersion);
        Assert.Equal(4L, (await t.Store.AppendAsync(s, ExpectedVersion.Any, TestStore.Events(1))).StreamVersion);
        Assert.Equal(0L, (await t.Store.AppendAsync(new StreamId("fresh"), ExpectedVersion.Any, TestStore.Events(1))).StreamVersion);

        // Refused appends left no trace: no position was drawn, no phantom stream row.
        Assert.Equal(6L, await t.Store.ReadHeadPositionAsync());
        Assert.Equal(2L, await t.ScalarAsync<long>("SELECT count(*) FROM {s}.streams"));
    }

    [Fact]
    public async Task AppendAsync_SameIdsAgain_ReturnsOriginalResultWithoutWriting()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_idem" });
        var events = TestStore.Events(3);
        await t.Store.AppendAsync(new StreamId("other"), ExpectedVersion.Any, TestStore.Events(2));
        var first = await t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.NoStream, events);
        await t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.Exact(2), TestStore.Events(1));

        // Same ids and same (now stale) expectation: the retry after an unknown outcome.
        var again = await t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.NoStream, events);

        Assert.Equal(first with { AlreadyAppended = true }, again);
        Assert.Equal(new AppendResult(2, 3, 5, false), first);
        Assert.Equal(6L, await t.ScalarAsync<long>("SELECT count(*) FROM {s}.events"));
    }

    [Fact]
    public async Task AppendAsync_PartialOverlapOrOtherStream_ThrowsEventIdConflict()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_overlap" });
        var events = TestStore.Events(2);
        await t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.Any, events);

        var partial = await Assert.ThrowsAsync<EventIdConflictException>(
            () => t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.Any, [events[0], TestStore.Event()]));
        Assert.Equal(EventIdConflictReason.PartialOverlap, partial.Reason);

        var elsewhere = await Assert.ThrowsAsync<EventIdConflictException>(
            () => t.Store.AppendAsync(new StreamId("t"), ExpectedVersion.Any, events));
        Assert.Equal(EventIdConflictReason.DifferentAppend, elsewhere.Reason);

        var reordered = await Assert.ThrowsAsync<EventIdConflictException>(
            () => t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.Any, [events[1], events[0]]));
        Assert.Equal(EventIdConflictReason.DifferentAppend, reordered.Reason);

        var twice = await Assert.ThrowsAsync<EventIdConflictException>(
            () => t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.Any, [events[0], events[0]]));
        Assert.Equal(EventIdConflictReason.DuplicateInBatch, twice.Reason);
        Assert.Equal(2L, await t.ScalarAsync<long>("SELECT count(*) FROM {s}.events"));
    }

    [Fact]
    public async Task AppendAsync_BadInput_ThrowsSpecificArgumentErrors()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_bad" });
        await Assert.ThrowsAsync<ArgumentException>(() => t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.Any, []));
        await Assert.ThrowsAsync<InvalidOperationException>(() => t.Store.AppendAsync(default, ExpectedVersion.Any, TestStore.Events(1)));
        var notJson = Assert.Throws<ArgumentException>(() => TestStore.Event(json: "{not json"));
        Assert.Equal("json", notJson.ParamName);

        // PostgreSQL's jsonb refuses \u0000 though System.Text.Json accepts it: the server's refusal is typed, not transient.
        var nul = await Assert.ThrowsAsync<EventStoreDatabaseException>(
            () => t.Store.AppendAsync(new StreamId("s"), ExpectedVersion.Any, [TestStore.Event(json: "{\"a\":\"\\u0000\"}")]));
        Assert.Equal("22P05", nul.SqlState); // untranslatable_character
        Assert.False(nul.IsTransient);
        Assert.Equal(0L, await t.Store.ReadHeadPositionAsync());
    }

    [Fact]
    public async Task AppendAsync_Metadata_StoredWithTimestampFromTimeProvider()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_meta", TimeProvider = clock });
        var correlation = Guid.NewGuid();
        var causation = Guid.NewGuid();
        var e = TestStore.Event("round-opened.v1", "{\"round\": 7}", metadata: new EventMetadata(correlation, causation));
        await t.Store.AppendAsync(new StreamId("round-7"), ExpectedVersion.NoStream, [e]);
        clock.Now = clock.Now.AddMinutes(5);
        await t.Store.AppendAsync(new StreamId("round-7"), ExpectedVersion.Exact(0), [TestStore.Event()]);

        var all = await t.ReadAllAsync();
        Assert.Equal(new RecordedEvent(new StreamId("round-7"), 0, 1, e.EventId, "round-opened.v1", "{\"round\": 7}",
            new EventMetadata(correlation, causation), new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)), all[0]);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 5, 0, TimeSpan.Zero), all[1].Created);
        Assert.Equal(EventMetadata.None, all[1].Metadata);
    }
}
