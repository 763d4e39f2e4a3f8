using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.EventStore.Tests.Internal;

/// <summary>
/// Model-based: seeded random sequences of appends (every expectation kind, fresh ids, exact replays, replays into
/// another stream, partial overlaps) run against the store and against a tiny in-memory model of the rules; every
/// outcome and the final log must agree exactly.
/// </summary>
public sealed class PgEventStoreModelTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private sealed record Appended(StreamId Stream, EventData[] Events, AppendResult Result);

    [Fact]
    public async Task AppendAsync_RandomOperationSequences_AgreeWithModel()
    {
        await using var t = await TestStore.CreateAsync(postgres.ConnectionString, new EventStoreOptions { Schema = "es_model" });
        var position = 0L;
        var log = new List<(StreamId Stream, Guid Id)>();
        for (var seed = 1; seed <= 25; seed++)
        {
            var random = new Random(seed);
            var streams = Enumerable.Range(0, 3).Select(i => new StreamId($"seed{seed}-s{i}")).ToArray();
            var versions = new Dictionary<StreamId, long>();
            var done = new List<Appended>();
            for (var op = 0; op < 12; op++)
            {
                var stream = streams[random.Next(streams.Length)];
                long? current = versions.TryGetValue(stream, out var v) ? v : null;
                var expected = random.Next(4) switch
                {
                    0 => ExpectedVersion.Any,
                    1 => ExpectedVersion.NoStream,
                    2 => ExpectedVersion.StreamExists,
                    _ => ExpectedVersion.Exact(Math.Max(0, (current ?? 0) + random.Next(-1, 2))),
                };
                var shape = done.Count == 0 ? 0 : random.Next(6);
                var previous = done.Count == 0 ? null : done[random.Next(done.Count)];
                EventData[] events = shape switch
                {
                    3 => previous!.Events, // replay (same or other stream)
                    4 => [previous!.Events[0], TestStore.Event()], // partial overlap
                    _ => TestStore.Events(random.Next(1, 4)),
                };

                // The model: idempotency is decided first (REFERENCES.md rule 2), then the expectation.
                var label = $"seed {seed} op {op}: {events.Length} events to {stream} expecting {expected} (at {current?.ToString() ?? "none"}), shape {shape}";
                if (shape == 3 && previous!.Stream == stream)
                {
                    Assert.Equal(previous.Result with { AlreadyAppended = true }, await t.Store.AppendAsync(stream, expected, events));
                    continue;
                }

                if (shape is 3 or 4)
                {
                    var conflict = await Assert.ThrowsAsync<EventIdConflictException>(() => t.Store.AppendAsync(stream, expected, events));
                    Assert.Equal(shape == 3 ? EventIdConflictReason.DifferentAppend : EventIdConflictReason.PartialOverlap, conflict.Reason);
                    continue;
                }

                if (!expected.IsMetBy(current))
                {
                    var wrong = await Assert.ThrowsAsync<WrongExpectedVersionException>(() => t.Store.AppendAsync(stream, expected, events));
                    Assert.True(current == wrong.ActualVersion, label);
                    continue;
                }

                var result = await t.Store.AppendAsync(stream, expected, events);
                var next = (current ?? -1) + events.Length;
                Assert.True(new AppendResult(next, position + 1, position + events.Length, false) == result, $"{label}: got {result}");
                versions[stream] = next;
                position += events.Length;
                done.Add(new Appended(stream, events, result));
                log.AddRange(events.Select(e => (stream, e.EventId)));
            }
        }

        var all = await t.ReadAllAsync();
        Assert.Equal(log, all.Select(e => (e.StreamId, e.EventId)));
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), all.Select(e => e.Position));
    }
}
