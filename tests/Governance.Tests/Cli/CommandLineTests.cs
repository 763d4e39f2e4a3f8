using System.Diagnostics;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Governance.Tests.Support;

namespace SupplyOracle.Governance.Tests.Cli;

/// <summary>The command line itself: help, exit codes of bad input, key loading; no chain needed.</summary>
public sealed class CommandLineTests
{
    private static async Task<(int Exit, string Output, string Error)> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "supplyoracle.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("SUPPLYORACLE_RPC");
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task Help_AsAProcess_ListsTheCommandsAndExitsZero()
    {
        var (exit, output, _) = await RunProcessAsync("--help");

        Assert.Equal(0, exit);
        Assert.Contains("registry", output, StringComparison.Ordinal);
        Assert.Contains("oracle", output, StringComparison.Ordinal);
        Assert.Contains("--calldata-only", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_AsAProcess_ExitsTwo()
    {
        var (exit, _, error) = await RunProcessAsync("registry", "approve");

        Assert.Equal(2, exit);
        Assert.Contains("approve", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRpc_AsAProcess_ExitsTwoNamingTheOption()
    {
        var (exit, _, error) = await RunProcessAsync("oracle", "status", "--oracle", "0x5FbDB2315678afecb367f032d93F642f64180aa3");

        Assert.Equal(2, exit);
        Assert.StartsWith("error: --rpc: required", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rpc", "not a url")]
    [InlineData("--oracle", "0xZZ")]
    public async Task BadGlobalOption_InProcess_ExitsTwoNamingIt(string option, string value)
    {
        var variables = new Dictionary<string, string> { ["SUPPLYORACLE_RPC"] = "http://127.0.0.1:9", ["SUPPLYORACLE_ORACLE"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3" };

        var result = await CliRunner.RunWithInputAsync(variables, "", "oracle", "status", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {option}:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keystore_WrongPassword_ExitsTwoWithoutPrintingSecrets()
    {
        var key = PrivateKey.Generate();
        var keystore = Path.Combine(Path.GetTempPath(), $"keystore-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(keystore, KeystoreV3.Encrypt(key, "right horse battery", KeystoreKdf.LightScrypt));
        var variables = new Dictionary<string, string>
        {
            ["SUPPLYORACLE_RPC"] = "http://127.0.0.1:9",
            ["SUPPLYORACLE_ORACLE"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            ["SUPPLYORACLE_KEYSTORE_PASSWORD"] = "wrong staple",
        };

        var result = await CliRunner.RunWithInputAsync(variables, "", "oracle", "pause", "--keystore", keystore, "--yes");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --keystore: wrong password" + Environment.NewLine, result.Error);
        Assert.DoesNotContain("wrong staple", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateKeyEnv_Malformed_ExitsTwoWithoutEchoingTheValue()
    {
        var variables = new Dictionary<string, string>
        {
            ["SUPPLYORACLE_RPC"] = "http://127.0.0.1:9",
            ["SUPPLYORACLE_ORACLE"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            ["MY_KEY"] = "0xdeadbeefsecret",
        };

        var result = await CliRunner.RunWithInputAsync(variables, "", "oracle", "pause", "--private-key-env", "MY_KEY", "--yes");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("MY_KEY does not hold a 32-byte hex private key", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("deadbeef", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeDown_ExitsOneWithNodeError()
    {
        var variables = new Dictionary<string, string> { ["SUPPLYORACLE_RPC"] = "http://127.0.0.1:9", ["SUPPLYORACLE_ORACLE"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3" };

        var result = await CliRunner.RunWithInputAsync(variables, "", "oracle", "params", "show");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: node error:", result.Error, StringComparison.Ordinal);
    }
}
