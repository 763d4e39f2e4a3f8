using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Reporter.Supply;
using SupplyOracle.Reporter.Supply.Internal;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Reporter.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Benchmarks.SupplyRead;

/// <summary>
/// <c>./bench.sh supply-read [tokens] [excluded-per-token] [repeats]</c>: on a real anvil with a deployed
/// ExcludedAddressRegistry and ERC-20 TestTokens, reads every token's circulating supply at one pinned block with the
/// reporter's <see cref="PinnedSupplyReader"/> (two batch round trips) and with a naive read (one eth_call per
/// excludedOf, totalSupply and balanceOf), and prints round trips and wall time of both. Target: at most 2 round trips.
/// </summary>
public sealed class SupplyReadBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "supply-read";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var tokenCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var excludedPerToken = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var repeats = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;

        await using var node = await AnvilNode.StartAsync(cancellationToken: cancellationToken);
        var chain = await SupplyChain.DeployAsync(node);
        chain.CheckReceipts = args.Contains("--check-receipts");
        var setup = Stopwatch.StartNew();
        var tokens = new List<TestTokenContract>();
        var entries = new List<(TestTokenContract, Address, BigInteger)>();
        for (var i = 0; i < tokenCount; i++)
        {
            var token = await chain.DeployTokenAsync($"T{i}", 1_000_000 + i);
            tokens.Add(token);
            entries.AddRange(Enumerable.Range(0, excludedPerToken).Select(j => (token, SupplyChain.RandomAddress(), new BigInteger(100 + j))));
        }
        await chain.ExcludeAsync(entries);
        await node.MineAsync();
        var head = await chain.Client.BlockNumberAsync(cancellationToken);
        var header = (await chain.Client.GetBlockAsync(BlockId.AtNumber(head), cancellationToken))!;
        var block = new PinnedBlock(header.Number, header.Hash, header.Timestamp);
        Console.WriteLine($"setup: {tokenCount} tokens x {excludedPerToken} excluded addresses on anvil in {setup.Elapsed.TotalSeconds:F1} s; pinned block {block.Number}");

        var covered = tokens.Select(t => new CoveredToken(t.Address, [])).ToArray();
        using var telemetry = new ReporterTelemetry();
        var counting = new CountingTransport(SupplyChain.Transport(node.RpcUrl));
        var reader = new PinnedSupplyReader([new RpcEndpoint("anvil", counting)], chain.Registry.Address, 1, telemetry);
        var naiveCounting = new CountingTransport(SupplyChain.Transport(node.RpcUrl));
        var naiveClient = new EthereumRpcClient(naiveCounting);

        SupplyReadResult? ours = null;
        IReadOnlyDictionary<Address, BigInteger>? naive = null;
        var oursTimes = new List<double>();
        var naiveTimes = new List<double>();
        for (var r = 0; r < repeats + 1; r++)
        {
            var before = counting.RoundTrips;
            var sw = Stopwatch.StartNew();
            ours = await reader.ReadAsync(block, covered, cancellationToken);
            var oursTime = sw.Elapsed.TotalMilliseconds;
            var oursTrips = counting.RoundTrips - before;

            var naiveBefore = naiveCounting.RoundTrips;
            sw.Restart();
            naive = await NaiveReadAsync(naiveClient, chain.Registry.Address, block, tokens, cancellationToken);
            var naiveTime = sw.Elapsed.TotalMilliseconds;
            var naiveTrips = naiveCounting.RoundTrips - naiveBefore;
            if (r == 0)
            {
                Console.WriteLine($"round trips: ours {oursTrips} (reported {ours.RoundTrips}), naive {naiveTrips}");
                continue; // warm-up
            }
            oursTimes.Add(oursTime);
            naiveTimes.Add(naiveTime);
        }

        var agree = ours!.Skipped.Count == 0 && ours.Tokens.All(t => t.Excluded.Count == excludedPerToken) && ours.Tokens.All(t => naive![t.Token] == t.Circulating) && ours.Tokens.Count == tokenCount;
        Console.WriteLine($"supply-read {tokenCount} tokens x {excludedPerToken} excluded: ours {ours.RoundTrips} round trips, median {Median(oursTimes):F1} ms; " +
                          $"naive {tokenCount * (2 + excludedPerToken)} round trips, median {Median(naiveTimes):F1} ms; speed-up x{Median(naiveTimes) / Median(oursTimes):F1}; " +
                          $"results agree: {agree}");
        Console.WriteLine($"target <= 2 round trips: {(ours.RoundTrips <= 2 ? "met" : "MISSED")}");
        return agree && ours.RoundTrips <= 2 ? 0 : 1;
    }

    private static async Task<IReadOnlyDictionary<Address, BigInteger>> NaiveReadAsync(EthereumRpcClient client, Address registryAddress, PinnedBlock block,
        IReadOnlyList<TestTokenContract> tokens, CancellationToken cancellationToken)
    {
        var at = BlockId.AtHash(block.Hash);
        var registry = new ExcludedAddressRegistryContract(client, registryAddress);
        var result = new Dictionary<Address, BigInteger>();
        foreach (var t in tokens)
        {
            var token = new TestTokenContract(client, t.Address);
            var excluded = await registry.ExcludedOfAsync(t.Address, at, cancellationToken);
            var circulating = await token.TotalSupplyAsync(at, cancellationToken);
            foreach (var account in excluded.Accounts)
            {
                circulating -= await token.BalanceOfAsync(account, at, cancellationToken);
            }
            result[t.Address] = circulating;
        }
        return result;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
