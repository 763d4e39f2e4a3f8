using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Numerics;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Benchmarks.Dashboard;

/// <summary>
/// <c>./bench.sh dashboard [--rounds N] [--tokens N] [--reporters N] [--repeat N]</c>: the web dashboard's page weight and
/// render time (issue 21: each page under 300 KB and 1 s with 100 tokens and 1,000 rounds in the database). An oracle
/// network with the tokens listed is deployed on anvil; the log holds full rounds (a batch per reporter with every token,
/// closed, proposed, transmitted, confirmed; the factors move a little each round), projected by Marten's daemon on a
/// throwaway PostgreSQL. The aggregator's query host then serves the pages; each is fetched once to warm up, then
/// <c>--repeat</c> times: bytes transferred (headers and body, no compression on the HTTP endpoint) and the server's
/// time to the last byte (median and worst).
/// </summary>
public sealed class DashboardBenchmark : IBenchmark
{
    private const int MaxBytes = 300 * 1024;
    private static readonly TimeSpan MaxTime = TimeSpan.FromSeconds(1);

    public string Name => "dashboard";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = IntArg(args, "--rounds", 1_000);
        var tokenCount = IntArg(args, "--tokens", 100);
        var reporterCount = IntArg(args, "--reporters", 5);
        var repeat = IntArg(args, "--repeat", 5);
        var watch = Stopwatch.StartNew();
        await using var network = await OracleNetwork.StartAsync(new OracleNetworkOptions { Reporters = reporterCount, Tokens = tokenCount }, cancellationToken);
        var tokens = network.Tokens.Select(t => t.Address).Order().ToArray();
        var reporters = network.Reporters.Select(r => r.Address).ToArray();
        // The log's reference blocks (round r refers to block r) exist on the chain, so a token's excluded balances are read at them.
        for (var mined = 0; mined < rounds + 5; mined += 100)
        {
            await network.Node.MineAsync(100);
        }

        Console.WriteLine($"anvil: oracle with {tokens.Length} tokens and {reporters.Length} reporters deployed in {watch.Elapsed.TotalSeconds:F1} s");

        await using var server = await PostgresServer.StartAsync(requireOwned: true, cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(await server.CreateDatabaseAsync("bench", cancellationToken));
        var options = new AggregatorOptions { Query = new QueryOptions { PollMilliseconds = 500 } }.ValidateQuery();
        await using var events = await AggregatorEventStore.StartAsync(dataSource, new AggregatorStoreOptions("eventstore", options.Schema, DaemonMode.Disabled),
            NullLoggerFactory.Instance, TimeProvider.System, cancellationToken);
        watch.Restart();
        await SeedAsync(events, rounds, tokens, reporters, cancellationToken);
        using (var daemon = await events.Store.BuildProjectionDaemonAsync())
        {
            await daemon.CatchUpAsync(TimeSpan.FromMinutes(30), cancellationToken);
        }

        Console.WriteLine($"PostgreSQL: {rounds:N0} rounds x {tokens.Length} tokens x {reporters.Length} reporters logged and projected in {watch.Elapsed.TotalSeconds:F1} s");

        await using var query = await AggregatorQueryServices.StartAsync(dataSource, events, options, NullLoggerFactory.Instance, network.Client, network.Deployment,
            TimeProvider.System, cancellationToken);
        await using var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0), null, query,
            logging => logging.ClearProviders(), cancellationToken: cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = host.Http };
        var pages = new (string Name, string Path)[]
        {
            ("Network", "/dashboard"),
            ("Tokens", "/dashboard/tokens"),
            ("Token", $"/dashboard/tokens/{tokens[0]}"),
            ("Reporters", "/dashboard/reporters"),
            ("Rounds", "/dashboard/rounds"),
            ("Round", $"/dashboard/rounds/{rounds}"),
            ("Governance", "/dashboard/governance"),
            ("dashboard.css", "/dashboard/assets/dashboard.css"),
            ("dashboard.js", "/dashboard/assets/dashboard.js"),
        };
        Console.WriteLine($"{"page",-14} {"bytes",10} {"median ms",10} {"worst ms",9}  verdict (limits {MaxBytes / 1024} KB, {MaxTime.TotalMilliseconds:N0} ms)");
        var failed = false;
        foreach (var (name, path) in pages)
        {
            await FetchAsync(http, path, cancellationToken);
            var times = new List<double>();
            long bytes = 0;
            for (var i = 0; i < repeat; i++)
            {
                var (size, elapsed) = await FetchAsync(http, path, cancellationToken);
                bytes = size;
                times.Add(elapsed.TotalMilliseconds);
            }

            times.Sort();
            var ok = bytes < MaxBytes && times[^1] < MaxTime.TotalMilliseconds;
            failed |= !ok;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-14} {bytes,10:N0} {times[times.Count / 2],10:F1} {times[^1],9:F1}  {(ok ? "ok" : "OVER")}"));
        }

        return failed ? 1 : 0;
    }

    private static async Task<(long Bytes, TimeSpan Elapsed)> FetchAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var elapsed = watch.Elapsed;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
        }

        // The status line and headers as sent (HTTP/1.1), plus the body.
        var headers = response.Headers.Concat(response.Content.Headers).Sum(h => h.Key.Length + 4 + h.Value.Sum(v => v.Length)) + 17;
        return (body.Length + headers, elapsed);
    }

    private static async Task SeedAsync(AggregatorEventStore events, int rounds, Address[] tokens, Address[] reporters, CancellationToken cancellationToken)
    {
        var random = new Random(1);
        var factors = tokens.Select(_ => 500_000_000_000_000_000UL).ToArray();
        var supply = new BigInteger(1_000_000_000) * BigInteger.Pow(10, 18);
        for (ulong round = 1; round <= (ulong)rounds; round++)
        {
            for (var t = 0; t < factors.Length; t++)
            {
                factors[t] = (ulong)Math.Clamp((long)factors[t] + random.NextInt64(-5_000_000_000_000_000, 5_000_000_000_000_001), 1, 1_000_000_000_000_000_000);
            }

            var roundEvents = new List<object>();
            foreach (var reporter in reporters)
            {
                var entries = tokens.Select((t, i) => new TokenObservation(t, new TokenAmount(supply), new Wad(factors[i]))).ToList();
                roundEvents.Add(new ObservationAccepted(round, reporter.ToChecksumString(), $"0x{round:x}{reporter.ToString()[^4..]}", round, 1_700_000_000 + round * 60,
                    Hex.Encode(new byte[32]), Hex.Encode(ObservationEncoding.Encode(entries)), Hex.Encode(new byte[65]), entries.Count));
            }

            roundEvents.Add(new RoundClosed(round, round + 2, reporters.Length, [], [.. tokens.Select(t => $"{t}:in-report:Commit")]));
            roundEvents.Add(new RoundProposed(round, $"a/{round}", round + 2, Hex.Encode(new byte[32]),
                Hex.Encode(UpdateEncoding.Encode([.. tokens.Select((t, i) => new ReportUpdate(t, (UInt128)supply, new Wad(factors[i]), UpdateStatus.Commit))])), []));
            roundEvents.Add(new TransmissionIntended(round, reporters[0].ToChecksumString(), [.. reporters.Select(r => r.ToChecksumString())]));
            roundEvents.Add(new RoundConfirmed(round, Hex.Encode([.. new byte[24], .. BitConverter.GetBytes(round)]), round + 4, 400_000 + (ulong)random.Next(50_000), 0));
            await RoundAppender.AppendAsync(events.Store, IntakeEventNames.RoundStream(round), roundEvents, cancellationToken);
        }
    }

    private static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return fallback;
        }

        return i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} needs a positive integer");
    }
}
