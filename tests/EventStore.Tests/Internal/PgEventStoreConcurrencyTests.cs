using System.Collections.Concurrent;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Subscriptions;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Internal;

public sealed class PgEventStoreConcurrencyTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const int Writers = 32;
    private const int EventsPerWriter = 3_125; // 32 × 3,125 = 100,000
    private const int Total = Writers * EventsPerWriter;

    [Fact]
    public async Task AppendAsync_32WritersSameAndDifferentStreams_NoEventLostOrDuplicatedAndSubscriberSeesGlobalOrder()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_load" });
        await SeenProjection.CreateTableAsync(t.DataSource, "load_seen");
        var projection = new SeenProjection("load_seen");
        var subscription = new CatchUpSubscription(t.DataSource, projection,
            new SubscriptionOptions { Schema = t.Schema, BatchSize = 2_000, PollInterval = TimeSpan.FromMilliseconds(200) });
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var subscriber = subscription.RunAsync(stop.Token);
        var gapWatcher = WatchForGapsAsync(t.Store, stop.Token);

        var submitted = new ConcurrentDictionary<Guid, string>();
        var conflicts = 0;
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            // Writers 0..15 own a stream each; writers 16..31 share four streams, four writers per stream.
            var stream = new StreamId(w < 16 ? $"solo-{w}" : $"shared-{w % 4}");
            var random = new Random(w);
            var written = 0;
            long? current = null; // what this writer believes; corrected from the refusal when another writer moved on
            while (written < EventsPerWriter)
            {
                var events = TestStore.Events(Math.Min(random.Next(1, 41), EventsPerWriter - written), $"load.w{w}");
                while (true)
                {
                    var expected = current is { } v ? ExpectedVersion.Exact(v) : ExpectedVersion.NoStream;
                    try
                    {
                        var result = await t.Store.AppendAsync(stream, expected, events);
                        // Accepted: the new events follow exactly the version we expected.
                        Assert.Equal((current ?? -1) + events.Length, result.StreamVersion);
                        Assert.Equal(events.Length - 1, result.LastPosition - result.FirstPosition);
                        current = result.StreamVersion;
                        break;
                    }
                    catch (WrongExpectedVersionException e)
                    {
                        // Refused: only ever because another writer moved the stream past what we expected.
                        Assert.True(w >= 16, $"solo writer {w} got a conflict");
                        Assert.NotNull(e.ActualVersion);
                        Assert.True(e.ActualVersion > (current ?? -1), $"refused at {e.ActualVersion} though we expected {expected}");
                        Interlocked.Increment(ref conflicts);
                        current = e.ActualVersion;
                    }
                }

                foreach (var e in events)
                {
                    Assert.True(submitted.TryAdd(e.EventId, stream.Value));
                }

                written += events.Length;
            }
        })).ToArray();
        await Task.WhenAll(writers);

        Assert.Equal((long)Total, await t.Store.ReadHeadPositionAsync());
        var all = await t.ReadAllAsync();
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), all.Select(e => e.Position));
        Assert.Equal(Total, all.Select(e => e.EventId).Distinct().Count());
        Assert.All(all, e => Assert.Equal(submitted[e.EventId], e.StreamId.Value));
        foreach (var group in all.GroupBy(e => e.StreamId))
        {
            Assert.Equal(Enumerable.Range(0, group.Count()).Select(i => (long)i), group.Select(e => e.Version));
        }

        Assert.True(conflicts > 0, "four writers per shared stream never collided: the test did not exercise conflicts");

        // The subscriber, running during the writes, saw every event exactly once and in global order.
        while (subscription.Checkpoint < Total)
        {
            Assert.False(subscriber.IsCompleted, subscriber.Exception?.ToString());
            await Task.Delay(50, stop.Token);
        }

        await stop.CancelAsync();
        await subscriber;
        Assert.Equal(Total, await gapWatcher);
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), projection.Applied);
        Assert.Equal((long)Total, await t.ScalarAsync<long>("SELECT count(*) FROM load_seen"));
        Assert.Equal(0L, await t.ScalarAsync<long>("SELECT count(*) FROM load_seen s JOIN {s}.events e USING (position) WHERE s.event_id <> e.event_id"));
    }

    [Fact]
    public async Task AppendAsync_TwoWritersSameExactVersion_ExactlyOneWins()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_race2" });
        var s = new StreamId("contended");
        await t.Store.AppendAsync(s, ExpectedVersion.NoStream, TestStore.Events(1));
        for (long v = 0; v < 40; v += 2)
        {
            var expected = ExpectedVersion.Exact(v);
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                try
                {
                    await t.Store.AppendAsync(s, expected, TestStore.Events(2));
                    return (long?)null;
                }
                catch (WrongExpectedVersionException e)
                {
                    return e.ActualVersion ?? -100;
                }
            })));
            Assert.Single(outcomes, o => o is null);
            Assert.Single(outcomes, o => o == v + 2);
        }
    }

    /// <summary>Polls the global log as a naive reader would (<c>position &gt; last seen</c>) and fails on any gap.</summary>
    private static Task<long> WatchForGapsAsync(IEventStore store, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        long after = 0;
        while (after < Total)
        {
            var before = after;
            await foreach (var e in store.ReadAllAsync(after, 5_000, cancellationToken))
            {
                Assert.Equal(after + 1, e.Position);
                after = e.Position;
            }

            if (after == before)
            {
                await Task.Delay(5, cancellationToken);
            }
        }

        return after;
    });
}
