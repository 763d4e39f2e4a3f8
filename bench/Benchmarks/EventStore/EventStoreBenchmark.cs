using System.Diagnostics;
using System.Globalization;
using JasperFx.Events;
using Marten;
using Npgsql;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Benchmarks.EventStore;

/// <summary>
/// <c>./bench.sh eventstore [--seconds N]</c>: Marten append throughput (Quick append, the aggregator's mode; batches of
/// 1, 10, 100; 1 and 8 writers, each on its own stream, every append after the first with an expected version), and in
/// the same run a raw multi-row INSERT of the same rows into Marten's own events table (<c>mt_events</c>, one
/// <c>INSERT … SELECT FROM unnest</c> per batch in autocommit, versions and stream rows prepared client-side: everything
/// Marten does minus its stream bookkeeping and checks). Runs on its own throwaway PostgreSQL started by TestSupport
/// (fsync=off, like the test fixture).
/// </summary>
public sealed class EventStoreBenchmark : IBenchmark
{
    private static readonly int[] s_batchSizes = [1, 10, 100];
    private static readonly int[] s_writerCounts = [1, 8];
    private static int s_generation;

    public string Name => "eventstore";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var seconds = IntArg(args, "--seconds", 3);
        await using var server = await PostgresServer.StartAsync(requireOwned: true, cancellationToken);
        var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("bench", cancellationToken)) { MaxPoolSize = 32, MaxAutoPrepare = 16 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Console.WriteLine($"PostgreSQL: own throwaway server from TestSupport on 127.0.0.1:{server.Port} (fsync=off, synchronous_commit=on); Marten {typeof(IDocumentStore).Assembly.GetName().Version} (Quick append), Npgsql {typeof(NpgsqlConnection).Assembly.GetName().Version}; {Environment.ProcessorCount} cores; {seconds} s per figure");

        using var store = DocumentStore.For(o =>
        {
            o.Connection(dataSource);
            o.DatabaseSchemaName = "bench_append";
            o.Events.StreamIdentity = StreamIdentity.AsString;
            o.Events.MapEventType<BenchObservation>("observation-accepted.v1");
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var appendRates = new Dictionary<(int Batch, int Writers), double>();
        var rawRates = new Dictionary<(int Batch, int Writers), double>();
        foreach (var batch in s_batchSizes)
        {
            foreach (var writers in s_writerCounts)
            {
                var append = await MeasureAsync(writers, seconds, (w, round) => AppendOnceAsync(store, w, batch, round, cancellationToken), cancellationToken);
                appendRates[(batch, writers)] = append * batch;
                Console.WriteLine($"marten append  batch {batch,3} writers {writers}: {append * batch,10:N0} events/s ({append:N0} appends/s)");
            }
        }

        foreach (var writers in s_writerCounts)
        {
            var raw = new RawInsert(dataSource);
            var rate = await MeasureAsync(writers, seconds, (w, round) => raw.InsertAsync(w, 100, round, cancellationToken), cancellationToken);
            rawRates[(100, writers)] = rate * 100;
            Console.WriteLine($"raw INSERT into bench_append.mt_events (multi-row INSERT … SELECT FROM unnest, autocommit) batch 100 writers {writers}: {rate * 100,10:N0} events/s");
        }

        foreach (var writers in s_writerCounts)
        {
            var n = appendRates[(100, writers)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"marten append events/s (batches of 100, {writers} writer{(writers == 1 ? "" : "s")}): {n:F0} (ratio to raw insert into mt_events {n / rawRates[(100, writers)]:F2})"));
        }

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

    // The first append starts the stream; every later one names the version the stream reaches (Marten's expected
    // version is the version after the append): a concurrent writer would make it fail.
    private static async Task AppendOnceAsync(IDocumentStore store, int writer, int batch, int round, CancellationToken cancellationToken)
    {
        var events = new object[batch];
        for (var i = 0; i < batch; i++)
        {
            events[i] = Observation(writer, (round * batch) + i);
        }

        await using var session = store.LightweightSession();
        var stream = $"writer-{writer}";
        if (round == 0)
        {
            session.Events.StartStream(stream, events);
        }
        else
        {
            session.Events.Append(stream, ((long)round + 1) * batch, events);
        }

        await session.SaveChangesAsync(cancellationToken);
    }

    internal static BenchObservation Observation(int writer, long i) =>
        new(i, string.Create(CultureInfo.InvariantCulture, $"0x{writer:x4}5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "873000000000000000");

    internal static string Payload(int writer, long i) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"round\":{i},\"reporter\":\"0x{writer:x4}5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\",\"token\":\"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359\",\"factor\":\"873000000000000000\"}}");
}

/// <summary>The benchmark's event: an observation-sized body.</summary>
internal sealed record BenchObservation(long Round, string Reporter, string Token, string Factor);
