using System.Numerics;
using System.Text.Json;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Reporter.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Cli;

/// <summary><c>supplyoracle-reporter check</c> (issue 19 item 5) against real anvil nodes: one line per check, OK or what to fix.</summary>
public sealed class CheckCommandTests : IAsyncLifetime
{
    private static readonly BigInteger Unit = BigInteger.Pow(10, 18);
    private readonly string _dir = Directory.CreateTempSubdirectory("supplyoracle-check-").FullName;
    private AnvilNode _node = null!;

    public async Task InitializeAsync() => _node = await AnvilNode.StartAsync();

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Check_RegisteredKeyListedTokenOneEndpoint_PrintsAnOkLinePerCheckAndExitsZero()
    {
        var chain = await SupplyChain.DeployAsync(_node);
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[6].PrivateKey);
        var token = await chain.DeployTokenAsync("CHK", 1_000_000 * Unit);
        var oracle = await chain.DeployOracleAsync([key.Address], roundBlocks: 50);
        await chain.SendAsync(oracle.ListTokenCall(token.Address));
        var config = WriteConfig(oracle.Address, chain.Registry.Address, key, [token.Address], [_node.RpcUrl.ToString()]);
        using var output = new StringWriter();

        var code = await Program.RunAsync(["check", "--config", config], TextReader.Null, output, TextWriter.Null);

        var lines = Lines(output);
        Assert.True(code == 0, output.ToString());
        Assert.Equal(["configuration", "key", "rpc Reporter:Rpc:Endpoints:0", "rpc heads", "oracle Reporter:Chain:Oracle", "registry Reporter:Chain:Registry", "registered", "tokens"],
            lines.Select(l => l[5..l.IndexOf(": ", 5, StringComparison.Ordinal)]));
        Assert.All(lines, l => Assert.StartsWith("OK   ", l, StringComparison.Ordinal));
        Assert.Contains($"OK   registered: {key.Address} is a reporter of {oracle.Address}", lines);
    }

    [Fact]
    public async Task Check_UnregisteredKeyLaggingEndpointUnlistedTokenWrongRegistry_SaysWhatToFixForEachAndExitsOne()
    {
        var chain = await SupplyChain.DeployAsync(_node);
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[6].PrivateKey);
        var token = await chain.DeployTokenAsync("CHK", 1_000_000 * Unit);
        var oracle = await chain.DeployOracleAsync([Address.Parse(AnvilNode.DevAccounts[7].Address)], roundBlocks: 50);
        await _node.MineAsync(10);
        // A second node of the same chain id, at block 0: a node that is syncing or stuck.
        await using var lagging = await AnvilNode.StartAsync();
        var config = WriteConfig(oracle.Address, oracle.Address, key, [token.Address], [_node.RpcUrl.ToString(), lagging.RpcUrl.ToString()]);
        using var output = new StringWriter();

        var code = await Program.RunAsync(["check", "--config", config], TextReader.Null, output, TextWriter.Null);

        var lines = Lines(output);
        Assert.True(code == 1, output.ToString());
        Assert.Contains(lines, l => l.StartsWith("OK   oracle Reporter:Chain:Oracle:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("OK   rpc Reporter:Rpc:Endpoints:1:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FAIL rpc heads: Reporter:Rpc:Endpoints:1 is at block 0,", StringComparison.Ordinal) && l.Contains("fix it or remove it", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"FAIL registry Reporter:Chain:Registry: Reporter:Chain:Registry: {oracle.Address} is not an ExcludedAddressRegistry", StringComparison.Ordinal));
        Assert.Contains($"FAIL registered: {key.Address} is not a reporter of {oracle.Address}: the oracle's owner must add it "
            + $"(supplyoracle oracle reporters add {key.Address}); until then the aggregators reject its batches", lines);
        Assert.Contains($"FAIL tokens: Reporter:Tokens:0:Address {token.Address} is not listed on the oracle: remove it, or ask the oracle's owner to list it", lines);
    }

    [Fact]
    public async Task Check_EndpointOfAnotherChainAndNoConfigFile_FailTheirLines()
    {
        await using var other = await AnvilNode.StartAsync(new AnvilOptions(ChainId: 5));
        var key = PrivateKey.Generate();
        var config = WriteConfig(SupplyChain.RandomAddress(), SupplyChain.RandomAddress(), key, [SupplyChain.RandomAddress()], [other.RpcUrl.ToString()]);
        using var output = new StringWriter();
        using var missing = new StringWriter();

        var code = await Program.RunAsync(["check", "--config", config], TextReader.Null, output, TextWriter.Null);
        var missingCode = await Program.RunAsync(["check", "--config", Path.Combine(_dir, "absent.json")], TextReader.Null, missing, TextWriter.Null);

        Assert.Equal(1, code);
        Assert.Contains(Lines(output), l => l.StartsWith($"FAIL rpc Reporter:Rpc:Endpoints:0: {other.RpcUrl} is on chain 5, but Reporter:Chain:ChainId is 31337", StringComparison.Ordinal));
        Assert.Contains("FAIL contracts: not checked: no RPC endpoint on the configured chain answered", Lines(output));
        Assert.Equal(2, missingCode);
        Assert.StartsWith("FAIL configuration: --config:", Assert.Single(Lines(missing)), StringComparison.Ordinal);
    }

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string WriteConfig(Address oracle, Address registry, PrivateKey key, IReadOnlyList<Address> tokens, IReadOnlyList<string> rpc)
    {
        var keystore = Path.Combine(_dir, $"key-{Guid.NewGuid():N}.json");
        var password = Path.Combine(_dir, "password");
        File.WriteAllText(password, "check-test");
        File.WriteAllText(keystore, KeystoreV3.Encrypt(key, "check-test", KeystoreKdf.LightScrypt));
        var json = new
        {
            Reporter = new
            {
                Chain = new { ChainId = 31337, Oracle = oracle.ToString(), Registry = registry.ToString() },
                Rpc = new { Endpoints = rpc },
                Key = new { Keystore = keystore, PasswordFile = password },
                JournalPath = Path.Combine(_dir, "journal.bin"),
                Tokens = tokens.Select(t => new { Address = t.ToString(), Fixed = new { Value = "1", Note = "test" } }).ToArray(),
                Gossip = new { Aggregators = new[] { "http://127.0.0.1:1" } },
                Health = new { Listen = $"127.0.0.1:{FreePort.Next()}" },
            },
        };
        var path = Path.Combine(_dir, $"reporter-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, JsonSerializer.Serialize(json));
        return path;
    }
}
