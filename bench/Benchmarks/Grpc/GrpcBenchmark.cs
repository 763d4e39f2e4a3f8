using System.Globalization;
using Grpc.Core;
using SupplyOracle.Protocol.Transport;
using SupplyOracle.Protocol.V1;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Benchmarks.Grpc;

/// <summary>
/// <c>./bench.sh grpc [seconds] [unaryConcurrency] [streams] [rounds]</c>: unary calls per second (Gossip/Submit) and streamed
/// messages per second (Status/Watch) over loopback h2c, for our services on Grpc.AspNetCore (configured as the
/// aggregator's endpoint) and for a grpc-js server, in the same run.
/// Both servers run in their own processes. Each figure pair comes from one harness driving both servers the same
/// way, so the client's cost is equal and the ratio compares the servers: first our generated client on Grpc.Net.Client
/// (a channel from <see cref="GrpcChannels"/>) in this process, then the grpc-js client in a node process (which is single-threaded and tends to saturate first, narrowing the gap).
/// Target: ours ≥ 1.0× grpc-js.
/// </summary>
public sealed class GrpcBenchmark : IBenchmark
{
    private static readonly ObservationBatch s_batch = new()
    {
        Round = 7,
        ReferenceBlock = 2100,
        ReferenceTime = 1_700_000_000,
        ReferenceHash = Google.Protobuf.ByteString.CopyFrom(new byte[32]),
        Observations = Google.Protobuf.ByteString.CopyFrom(new byte[60 * 4]),
        Signature = Google.Protobuf.ByteString.CopyFrom(new byte[65]),
        Reporter = Google.Protobuf.ByteString.CopyFrom(new byte[20]),
    };

    /// <inheritdoc />
    public string Name => "grpc";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
        var streams = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        var duration = TimeSpan.FromSeconds(seconds);
        Console.WriteLine($"grpc benchmark: loopback h2c, {seconds} s per figure, {concurrency} concurrent unary calls, {streams} concurrent streams, {rounds} alternating rounds; each server in its own process");

        await using var ours = StartOurs();
        await using var js = StartGrpcJs();
        var oursPort = await WaitForPortAsync(ours, cancellationToken);
        var jsPort = await WaitForPortAsync(js, cancellationToken);

        // The machine is shared: alternate the servers round by round and compare medians, so that a burst of
        // outside load does not land on one server only.
        await CompareAsync("harness 1: our generated client (Grpc.Net.Client) in this process", OurClientAsync);
        await CompareAsync("harness 2: the grpc-js client in a node process (grpcjs-load.js)", GrpcJsClientAsync);
        return 0;

        async Task CompareAsync(string title, Harness harness)
        {
            Console.WriteLine(title);
            var oursRuns = new List<(double Unary, double Streamed)>();
            var jsRuns = new List<(double Unary, double Streamed)>();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var isOurs in round % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    var result = await harness(isOurs ? oursPort : jsPort, duration, concurrency, streams, cancellationToken);
                    (isOurs ? oursRuns : jsRuns).Add(result);
                    Console.WriteLine($"  round {round + 1} {(isOurs ? "ours (grpc-dotnet)" : "grpc-js"),-18} unary calls/s: {result.Unary,10:F0}   streamed messages/s: {result.Streamed,10:F0}");
                }
            }

            var (oursUnary, oursStreamed) = (Median(oursRuns.Select(r => r.Unary)), Median(oursRuns.Select(r => r.Streamed)));
            var (jsUnary, jsStreamed) = (Median(jsRuns.Select(r => r.Unary)), Median(jsRuns.Select(r => r.Streamed)));
            Console.WriteLine($"  median  ours (grpc-dotnet) unary calls/s: {oursUnary,10:F0}   streamed messages/s: {oursStreamed,10:F0}");
            Console.WriteLine($"  median  grpc-js            unary calls/s: {jsUnary,10:F0}   streamed messages/s: {jsStreamed,10:F0}");
            Console.WriteLine($"  ratio unary calls/s  ours/grpc-js: {oursUnary / jsUnary:F2}x");
            Console.WriteLine($"  ratio streamed msg/s ours/grpc-js: {oursStreamed / jsStreamed:F2}x");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static TiedProcess StartOurs()
    {
        var self = Environment.ProcessPath!;
        var dll = typeof(GrpcBenchmark).Assembly.Location;
        return self.EndsWith("dotnet", StringComparison.Ordinal)
            ? TiedProcess.Start("ours", self, [dll, "grpc-server"])
            : TiedProcess.Start("ours", self, ["grpc-server"]);
    }

    private static TiedProcess StartGrpcJs() =>
        TiedProcess.Start("grpc-js", RepoPaths.Node(),
            [Path.Combine(RepoPaths.Root, "bench", "Benchmarks", "Grpc", "grpcjs-bench-server.js"), Path.Combine(RepoPaths.Root, "proto")],
            environment: new Dictionary<string, string> { ["NODE_PATH"] = RepoPaths.NodeModules });

    private delegate Task<(double Unary, double Streamed)> Harness(int port, TimeSpan duration, int concurrency, int streams, CancellationToken cancellationToken);

    private static async Task<(double Unary, double Streamed)> OurClientAsync(int port, TimeSpan duration, int concurrency, int streams, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannels.Create(new Uri($"http://127.0.0.1:{port}"));
        var invoker = channel.WithCallMetrics();

        // Warm up both sides (JIT, connections) before measuring.
        await UnaryLoadAsync(invoker, TimeSpan.FromSeconds(1), concurrency, cancellationToken);
        await StreamLoadAsync(invoker, TimeSpan.FromSeconds(1), streams, cancellationToken);
        var unary = await UnaryLoadAsync(invoker, duration, concurrency, cancellationToken) / duration.TotalSeconds;
        var streamed = await StreamLoadAsync(invoker, duration, streams, cancellationToken) / duration.TotalSeconds;
        return (unary, streamed);
    }

    private static async Task<(double Unary, double Streamed)> GrpcJsClientAsync(int port, TimeSpan duration, int concurrency, int streams, CancellationToken cancellationToken)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(RepoPaths.Node()) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     Path.Combine(RepoPaths.Root, "bench", "Benchmarks", "Grpc", "grpcjs-load.js"), Path.Combine(RepoPaths.Root, "proto"), $"127.0.0.1:{port}",
                     duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), concurrency.ToString(CultureInfo.InvariantCulture), streams.ToString(CultureInfo.InvariantCulture),
                 })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NODE_PATH"] = RepoPaths.NodeModules;
        using var process = System.Diagnostics.Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"grpcjs-load.js failed with exit code {process.ExitCode}");
        }

        var json = System.Text.Json.JsonDocument.Parse(output).RootElement;
        return (json.GetProperty("unary").GetDouble(), json.GetProperty("streamed").GetDouble());
    }

    private static async Task<long> UnaryLoadAsync(CallInvoker invoker, TimeSpan duration, int concurrency, CancellationToken cancellationToken)
    {
        var client = new Gossip.GossipClient(invoker);
        long calls = 0;
        var end = TimeProvider.System.GetTimestamp() + (long)(duration.TotalSeconds * TimeProvider.System.TimestampFrequency);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (TimeProvider.System.GetTimestamp() < end && !cancellationToken.IsCancellationRequested)
            {
                await client.SubmitAsync(s_batch);
                Interlocked.Increment(ref calls);
            }
        }));
        return calls;
    }

    private static async Task<long> StreamLoadAsync(CallInvoker invoker, TimeSpan duration, int streams, CancellationToken cancellationToken)
    {
        var client = new SupplyOracle.Protocol.V1.Status.StatusClient(invoker);
        long messages = 0;
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async _ =>
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(duration);
            using var call = client.Watch(new WatchRequest(), cancellationToken: cts.Token);
            long count = 0;
            try
            {
                while (await call.ResponseStream.MoveNext())
                {
                    count++;
                }
            }
            catch (RpcException) when (cts.IsCancellationRequested)
            {
                // The measuring window ended (CANCELLED; or UNAVAILABLE when the cancel races the server's reset).
            }

            Interlocked.Add(ref messages, count);
        }));
        return messages;
    }

    private static async Task<int> WaitForPortAsync(TiedProcess server, CancellationToken cancellationToken)
    {
        var start = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(start) < TimeSpan.FromSeconds(60))
        {
            var line = server.RecentOutput.Split('\n').FirstOrDefault(l => l.StartsWith("listening ", StringComparison.Ordinal));
            if (line is not null)
            {
                return int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture);
            }

            if (!server.IsRunning)
            {
                break;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new InvalidOperationException($"{server.Name} server did not start: {server.RecentOutput}");
    }
}
