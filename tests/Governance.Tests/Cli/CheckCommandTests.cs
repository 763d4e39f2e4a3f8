using System.Security.Cryptography;
using SupplyOracle.Governance.Tests.Support;

namespace SupplyOracle.Governance.Tests.Cli;

/// <summary><c>supplyoracle check</c> (issue 19 item 5): one line per check, OK or what to fix; sends nothing.</summary>
public sealed class CheckCommandTests(Deployment chain) : IClassFixture<Deployment>, IAsyncLifetime
{
    public Task InitializeAsync() => chain.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Check_OwnerKeyAndTheDeployedContracts_PrintsAnOkLinePerCheckAndExitsZero()
    {
        var result = await CliRunner.RunAsync(chain, "check", "--private-key-env", "OWNER_KEY");

        var lines = Lines(result.Output);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal(["rpc --rpc", "key", "oracle --oracle", "registry --registry (or the oracle's)", "roles", "funded"],
            lines.Select(l => l[5..l.IndexOf(": ", 5, StringComparison.Ordinal)]));
        Assert.All(lines, l => Assert.StartsWith("OK   ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"OK   funded: {Deployment.Owner.Address} holds ", StringComparison.Ordinal) && l.EndsWith(", the oracle's owner", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_RegistryGivenAsOracleAndAnEmptyKey_SaysWhatToFixAndExitsOne()
    {
        var variables = new Dictionary<string, string>
        {
            ["SUPPLYORACLE_RPC"] = chain.Node.RpcUrl.ToString(),
            ["SUPPLYORACLE_ORACLE"] = chain.Registry.Address.ToString(),
            ["SUPPLYORACLE_REGISTRY"] = chain.Registry.Address.ToString(),
            ["EMPTY_KEY"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)),
        };

        var result = await CliRunner.RunWithInputAsync(variables, "", "check", "--private-key-env", "EMPTY_KEY");

        var lines = Lines(result.Output);
        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        Assert.Contains(lines, l => l.StartsWith($"FAIL oracle --oracle: --oracle: {chain.Registry.Address} is not a SupplyOracle (", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("OK   registry --registry (or the oracle's): ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FAIL funded: ", StringComparison.Ordinal) && l.EndsWith("holds no ETH and cannot pay for gas: send it some, or use --calldata-only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_NoRpc_FailsTheRpcLineNamingTheOption()
    {
        var result = await CliRunner.RunWithInputAsync(new Dictionary<string, string>(), "", "check");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("FAIL rpc --rpc: --rpc: required: the JSON-RPC endpoint (or set SUPPLYORACLE_RPC)", Lines(result.Output)[0], StringComparison.Ordinal);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
