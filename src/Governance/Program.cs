using System.CommandLine;
using SupplyOracle.Governance.Cli;
using SupplyOracle.Governance.Oracle;
using SupplyOracle.Governance.Registry;

namespace SupplyOracle.Governance;

/// <summary>
/// Entry point of <c>supplyoracle</c>, the governance CLI: curates the excluded-address registry and the oracle's
/// settings (docs/protocol.md sections 8 and 10). Exit codes: <see cref="ExitCodes"/>.
/// </summary>
public static class Program
{
    /// <summary>Runs the command line on the process's console and environment.</summary>
    public static Task<int> Main(string[] args) => RunAsync(args, Console.In, Console.Out, Console.Error, CliEnvironment.FromProcess());

    /// <summary>
    /// Runs the command line against the given streams and environment (tests run commands in-process this way).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CliEnvironment? environment = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        environment ??= CliEnvironment.FromProcess();
        var globals = new GlobalOptions();
        var root = new RootCommand("supplyoracle: governance of the Supply Oracle (excluded-address registry, oracle settings)");
        globals.AddTo(root);
        var runner = new CommandRunner(globals, environment, input);
        root.Subcommands.Add(RegistryCommands.Create(runner));
        root.Subcommands.Add(OracleCommands.Create(runner));
        root.Subcommands.Add(CheckCommand.Create(globals, environment, input));

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
            }

            return ExitCodes.BadInput;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The process exit codes of <c>supplyoracle</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The transaction (or its simulation) reverted, was not confirmed, or the node failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad input: a missing or malformed option, an unreadable file, a wrong password.</summary>
    public const int BadInput = 2;
}
