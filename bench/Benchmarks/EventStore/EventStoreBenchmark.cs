using System.Diagnostics;
using System.Globalization;
using Npgsql;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.EventStore.Subscriptions;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Benchmarks.EventStore;

/// <summary>
/// <c>./bench.sh eventstore [--seconds N] [--catchup-events N]</c>: append throughput (batches of 1, 10, 100; 1 and 8
/// writers, each on its own stream with an exact expected version), raw multi-row INSERT throughput of the same rows into
/// an identical table (same columns, keys and indexes; no head row, no stream row, no checks) measured the same way (one
/// INSERT … SELECT FROM unnest(arrays) per batch, autocommit), and catch-up subscription throughput over 1,000,000 events.
/// Runs on its own throwaway PostgreSQL started by TestSupport (fsync=off, like the test fixture).
/// </summary>
public sealed class EventStoreBenchmark : IBenchmark
{
    private static readonly int[] s_batchSizes = [1, 10, 100];
    private static readonly int[] s_writerCounts = [1, 8];

    public string Name => "eventstore";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var seconds = IntArg(args, "--seconds", 3);
        var catchUpEvents = IntArg(args, "--catchup-events", 1_000_000);
        await using var server = await PostgresServer.StartAsync(requireOwned: true, cancellationToken);
        var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("bench", cancellationToken)) { MaxPoolSize = 32, MaxAutoPrepare = 16 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Console.WriteLine($"PostgreSQL: own throwaway server from TestSupport on 127.0.0.1:{server.Port} (fsync=off, synchronous_commit=on); Max Auto Prepare=16 for store and raw INSERT alike; {Environment.ProcessorCount} cores; {seconds} s per figure");

        var appendRates = new Dictionary<(int Batch, int Writers), double>();
        var rawRates = new Dictionary<(int Batch, int Writers), double>();
        var options = new EventStoreOptions { Schema = "bench_append" };
        await PostgresEventStore.MigrateAsync(dataSource, options, cancellationToken);
        var store = PostgresEventStore.Create(dataSource, options);
        await RawInsert.CreateTableAsync(dataSource, cancellationToken);
        foreach (var batch in s_batchSizes)
        {
            foreach (var writers in s_writerCounts)
            {
                var append = await MeasureAsync(writers, seconds, (w, round) => AppendOnceAsync(store, w, batch, round, cancellationToken), cancellationToken);
                appendRates[(batch, writers)] = append * batch;
                Console.WriteLine($"append  batch {batch,3} writers {writers}: {append * batch,10:N0} events/s ({append:N0} appends/s)");
            }
        }

        foreach (var writers in s_writerCounts)
        {
            var raw = new RawInsert(dataSource);
            var rate = await MeasureAsync(writers, seconds, (w, round) => raw.InsertAsync(w, 100, round, cancellationToken), cancellationToken);
            rawRates[(100, writers)] = rate * 100;
            Console.WriteLine($"raw INSERT (multi-row INSERT … SELECT FROM unnest, autocommit) batch 100 writers {writers}: {rate * 100,10:N0} events/s");
        }

        var catchUp = await CatchUpAsync(dataSource, catchUpEvents, cancellationToken);
        Console.WriteLine($"catch-up subscription over {catchUpEvents:N0} events (batches of 10,000, checkpoint per batch): {catchUp:N0} events/s");

        var best = s_writerCounts.MaxBy(w => appendRates[(100, w)]);
        var n = appendRates[(100, best)];
        var ratio = n / rawRates[(100, best)];
        Console.WriteLine($"(best of 1 and 8 writers: {best} writers; ratio against raw INSERT with the same {best} writers)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"append events/s (batches of 100): {n:F0} (ratio to raw insert {ratio:F2})"));
        return 0;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Runs <paramref name="writers"/> loops of <paramref name="operation"/> for <paramref name="seconds"/>; returns operations/s.</summary>
    private static async Task<double> MeasureAsync(int writers, int seconds, Func<int, int, Task> operation, CancellationToken cancellationToken)
    {
        var generation = Interlocked.Increment(ref s_generation) * 1_000;
        var deadline = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var count = 0;
            while (deadline.Elapsed.TotalSeconds < seconds && !cancellationToken.IsCancellationRequested)
            {
                await operation(generation + w, count);
                count++;
            }

            return count;
        }, cancellationToken)));
        return counts.Sum() / deadline.Elapsed.TotalSeconds;
    }

    private static int s_generation;

    private static Task AppendOnceAsync(IEventStore store, int writer, int batch, int round, CancellationToken cancellationToken)
    {
        var events = new EventData[batch];
        for (var i = 0; i < batch; i++)
        {
            events[i] = new EventData(Guid.NewGuid(), "observation-accepted.v1", Payload(writer, (round * batch) + i), default);
        }

        var expected = round == 0 ? ExpectedVersion.NoStream : ExpectedVersion.Exact(((long)round * batch) - 1);
        return store.AppendAsync(new StreamId($"writer-{writer}"), expected, events, cancellationToken);
    }

    internal static string Payload(int writer, long i) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"round\":{i},\"reporter\":\"0x{writer:x4}5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\",\"token\":\"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359\",\"factor\":\"873000000000000000\"}}");

    private static async Task<double> CatchUpAsync(NpgsqlDataSource dataSource, int total, CancellationToken cancellationToken)
    {
        var options = new EventStoreOptions { Schema = "bench_catchup" };
        await PostgresEventStore.MigrateAsync(dataSource, options, cancellationToken);
        // Seed through the same append function (the only write path), 10,000 events per call, built server-side.
        var seed = Stopwatch.StartNew();
        for (var written = 0; written < total; written += 10_000)
        {
            var n = Math.Min(10_000, total - written);
            await using var command = dataSource.CreateCommand($"""
                SELECT * FROM bench_catchup.append_events('seed-{written / 100_000}', 0, 0,
                    array(SELECT gen_random_uuid() FROM generate_series(1, {n})),
                    array_fill('observation-accepted.v1'::text, ARRAY[{n}]),
                    array(SELECT jsonb_build_object('round', g, 'reporter', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'factor', '873000000000000000') FROM generate_series(1, {n}) g),
                    array_fill(NULL::uuid, ARRAY[{n}]), array_fill(NULL::uuid, ARRAY[{n}]), now())
                """);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var vacuum = dataSource.CreateCommand("VACUUM ANALYZE bench_catchup.events"))
        {
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        Console.WriteLine($"seeded {total:N0} events through append_events in {seed.Elapsed.TotalSeconds:F1} s");
        var projection = new CountingProjection();
        var subscription = new CatchUpSubscription(dataSource, projection, new SubscriptionOptions { Schema = "bench_catchup", BatchSize = 10_000 });
        var sw = Stopwatch.StartNew();
        while (await subscription.ProcessBatchAsync(cancellationToken) > 0)
        {
        }

        if (projection.Count != total || subscription.Checkpoint != total)
        {
            throw new InvalidOperationException($"catch-up saw {projection.Count} events, checkpoint {subscription.Checkpoint}, expected {total}");
        }

        return total / sw.Elapsed.TotalSeconds;
    }

    /// <summary>Counts events and checks they arrive in gap-free order (the cost of a real projection's writes is not measured).</summary>
    private sealed class CountingProjection : IProjection
    {
        public long Count { get; private set; }

        public string Name => "bench_count";

        public IReadOnlyList<string> Tables => ["bench_count_unused"];

        public Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
        {
            foreach (var e in events)
            {
                if (e.Position != Count + 1)
                {
                    throw new InvalidOperationException($"gap: {e.Position} after {Count}");
                }

                Count++;
            }

            return Task.CompletedTask;
        }
    }
}
