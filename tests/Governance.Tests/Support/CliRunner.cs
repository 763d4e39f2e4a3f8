using System.Text.Json;
using SupplyOracle.Governance.Cli;

namespace SupplyOracle.Governance.Tests.Support;

/// <summary>What one in-process run of the CLI printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Output).RootElement;
}

/// <summary>Runs <c>supplyoracle</c> in-process against a deployment, keys passed by environment variable name only.</summary>
public static class CliRunner
{

    public static async Task<CliResult> RunWithInputAsync(Deployment deployment, string stdin, params string[] args)
    {
        var variables = new Dictionary<string, string>
        {
            ["SUPPLYORACLE_RPC"] = deployment.Node.RpcUrl.ToString(),
            ["SUPPLYORACLE_ORACLE"] = deployment.Oracle.Address.ToString(),
            ["OWNER_KEY"] = AnvilKey(0),
            ["GUARDIAN_KEY"] = AnvilKey(1),
            ["STRANGER_KEY"] = AnvilKey(2),
        };
        return await RunWithInputAsync(variables, stdin, args);
    }

    public static Task<CliResult> RunAsync(Deployment deployment, params string[] args) => RunWithInputAsync(deployment, "", args);

    public static async Task<CliResult> RunWithInputAsync(IReadOnlyDictionary<string, string> variables, string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new CliEnvironment(name => variables.TryGetValue(name, out var v) ? v : null, TimeProvider.System);
        var exit = await Program.RunAsync(args, new StringReader(stdin), output, error, environment);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    private static string AnvilKey(int index) => SupplyOracle.TestSupport.AnvilNode.DevAccounts[index].PrivateKey;
}
