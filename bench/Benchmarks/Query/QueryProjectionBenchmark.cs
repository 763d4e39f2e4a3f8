using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Npgsql;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Benchmarks.Query;

/// <summary>
/// <c>./bench.sh query-projection [--rounds N] [--reporters N] [--tokens N]</c>: the aggregator's query projection
/// catching up on Marten's daemon over a log of full rounds (per round: one accepted batch per reporter with every token,
/// closed, proposed with every token, transmitted, confirmed; each appended in its own commit as the aggregator does),
/// then Marten's rebuild of the projection, checked to give exactly the live state. Prints events/s and token observations/s, the
/// figure to compare with intake (./bench.sh ingest): the projection must keep up with it.
/// </summary>
public sealed class QueryProjectionBenchmark : IBenchmark
{
    public string Name => "query-projection";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = IntArg(args, "--rounds", 50);
        var reporters = IntArg(args, "--reporters", 7);
        var tokens = IntArg(args, "--tokens", 200);
        await using var server = await PostgresServer.StartAsync(requireOwned: true, cancellationToken);
        var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync("bench", cancellationToken)) { MaxAutoPrepare = 32 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var schema = new QuerySchema();
        await using var events = await AggregatorEventStore.StartAsync(dataSource, new AggregatorStoreOptions("eventstore", schema, DaemonMode.Disabled),
            NullLoggerFactory.Instance, TimeProvider.System, cancellationToken);
        var store = events.Store;
        Console.WriteLine($"PostgreSQL: own throwaway server from TestSupport (fsync=off); {Environment.ProcessorCount} cores; {rounds} rounds x {reporters} reporters x {tokens} tokens");

        var tokenAddresses = Enumerable.Range(1, tokens).Select(i => new Address([0x70, .. new byte[17], (byte)(i >> 8), (byte)i])).ToArray();
        var random = new Random(1);
        for (ulong round = 1; round <= (ulong)rounds; round++)
        {
            var roundEvents = new List<object>();
            for (var r = 1; r <= reporters; r++)
            {
                var entries = tokenAddresses.Select(t => new TokenObservation(t, new TokenAmount(new BigInteger(1_000_000 + random.Next(2))), new Wad((ulong)random.NextInt64(1, 1_000_000_000_000_000_001)))).ToList();
                roundEvents.Add(new ObservationAccepted(round, new Address([.. new byte[19], (byte)r]).ToChecksumString(), $"0x{round:x}{r:x}", round * 300, 1_700_000_000 + round * 3600,
                    Hex.Encode(new byte[32]), Hex.Encode(ObservationEncoding.Encode(entries)), Hex.Encode(new byte[65]), entries.Count));
            }

            roundEvents.Add(new RoundClosed(round, round * 300 + 5, reporters, [], [.. tokenAddresses.Select(t => $"{t}:in-report:Commit")]));
            roundEvents.Add(new RoundProposed(round, $"a/{round}", round * 300 + 5, Hex.Encode(new byte[32]),
                Hex.Encode(UpdateEncoding.Encode([.. tokenAddresses.Select(t => new ReportUpdate(t, 1_000_000, new Wad(500_000_000_000_000_000), UpdateStatus.Commit))])), []));
            roundEvents.Add(new TransmissionIntended(round, new Address([.. new byte[19], 200]).ToChecksumString(), [.. Enumerable.Range(1, reporters).Select(r => new Address([.. new byte[19], (byte)r]).ToChecksumString())]));
            roundEvents.Add(new RoundConfirmed(round, Hex.Encode(new byte[32]), round * 300 + 7, 500_000, 0));
            foreach (var e in roundEvents)
            {
                await RoundAppender.AppendAsync(store, IntakeEventNames.RoundStream(round), [e], cancellationToken);
            }
        }

        var head = (await store.Advanced.FetchEventStoreStatistics(token: cancellationToken)).EventCount;

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            await daemon.CatchUpAsync(TimeSpan.FromMinutes(30), cancellationToken);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var observations = (double)rounds * reporters * tokens;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"catch-up (Marten daemon): {head:N0} events in {seconds:F2} s = {head / seconds:N0} events/s, {observations / seconds:N0} token observations/s; "
            + $"this process's CPU time {cpuSeconds:F2} s = {head / cpuSeconds:N0} events per CPU-second (PostgreSQL's not counted; less sensitive to load)"));
        var live = await QueryProjection.DigestAsync(store, cancellationToken);
        watch.Restart();
        await AggregatorEventStore.RebuildQueryProjectionAsync(store, schema, TimeSpan.FromMinutes(30), cancellationToken);
        var rebuilt = await QueryProjection.DigestAsync(store, cancellationToken);
        var matches = live == rebuilt;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rebuild (Marten RebuildProjectionAsync): {head:N0} events in {watch.Elapsed.TotalSeconds:F2} s, rebuilt state {(matches ? "equals" : "DIFFERS FROM")} live"));
        return matches ? 0 : 1;
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
