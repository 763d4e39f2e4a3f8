using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Hosting;

/// <summary><c>supplyoracle-aggregator check</c> (issue 19 item 5) against anvil and PostgreSQL: one line per check, OK or what to fix.</summary>
public sealed class CheckCommandTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("supplyoracle-check-").FullName;

    [Fact]
    public async Task Check_FundedKeyReachableDatabase_PrintsAnOkLinePerCheckAndExitsZero()
    {
        var deployment = network.Network.Deployment;
        var key = Path.Combine(_directory, "funded.key");
        File.WriteAllText(key, AnvilNode.DevAccounts[9].PrivateKey);
        var path = Config(deployment.Oracle.ToString(), deployment.Registry.ToString(), key, Database());
        var output = new StringWriter();

        var code = await Program.RunAsync(["check", "--config", path], TextReader.Null, output, TextWriter.Null);

        var lines = Lines(output);
        Assert.True(code == 0, output.ToString());
        Assert.Equal(["configuration", "transmitter key", "rpc Aggregator:RpcUrl", "rpc heads", "oracle Aggregator:Oracle", "registry Aggregator:Registry", "funded", "database"],
            lines.Select(l => l[5..l.IndexOf(": ", 5, StringComparison.Ordinal)]));
        Assert.All(lines, l => Assert.StartsWith("OK   ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"OK   funded: {AnvilNode.DevAccounts[9].Address} holds ", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(lines, l => l.StartsWith("OK   database: PostgreSQL ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_UnfundedKeyWrongRegistryDatabaseDown_SaysWhatToFixForEachAndExitsOne()
    {
        var deployment = network.Network.Deployment;
        var key = Path.Combine(_directory, "empty.key");
        File.WriteAllText(key, Convert.ToHexString(RandomNumberGenerator.GetBytes(32)));
        var path = Config(deployment.Oracle.ToString(), deployment.Oracle.ToString(), key, $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Timeout=2");
        var output = new StringWriter();

        var code = await Program.RunAsync(["check", "--config", path], TextReader.Null, output, TextWriter.Null);

        var lines = Lines(output);
        Assert.True(code == 1, output.ToString());
        Assert.Contains(lines, l => l.StartsWith("OK   oracle Aggregator:Oracle:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"FAIL registry Aggregator:Registry: Aggregator:Registry: {deployment.Oracle} is not an ExcludedAddressRegistry", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FAIL funded: ", StringComparison.Ordinal) && l.Contains(" holds 0 ETH, below the low-balance threshold ", StringComparison.Ordinal)
            && l.Contains(": send ETH to ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("FAIL database: cannot connect (", StringComparison.Ordinal)
            && l.EndsWith("check Aggregator:Database and that PostgreSQL is up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_MisspeltSetting_FailsTheConfigurationLineAndExitsTwo()
    {
        var path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, """{ "Aggregator": { "ChainId": 31337, "RpcUrll": "http://127.0.0.1:1" } }""");
        var output = new StringWriter();

        var code = await Program.RunAsync(["check", "--config", path], TextReader.Null, output, TextWriter.Null);

        Assert.Equal(RunCommand.BadConfiguration, code);
        Assert.StartsWith("FAIL configuration: ", Assert.Single(Lines(output)), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private string Database() => new NpgsqlConnectionStringBuilder(network.DataSource.ConnectionString) { Password = null }.ConnectionString;

    private string Config(string oracle, string registry, string keyFile, string database)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $$"""
            { "Aggregator": { "ChainId": {{network.Network.Deployment.ChainId}}, "Oracle": "{{oracle}}", "Registry": "{{registry}}",
              "RpcUrl": "{{network.Network.Node.RpcUrl}}", "Database": "{{database}}", "PrivateKeyFile": "{{keyFile}}" } }
            """));
        return path;
    }
}
