using System.CommandLine;
using SupplyOracle.Aggregator.Cli;
using SupplyOracle.Aggregator.Hosting;

namespace SupplyOracle.Aggregator;

/// <summary>Entry point of <c>supplyoracle-aggregator</c>, the service that turns signed observations into commits.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command.</summary>
    public static Task<int> Main(string[] args) => RunAsync(args, Console.In, Console.Out, Console.Error);

    /// <summary>
    /// Runs the command line against the given streams (tests run commands in-process this way). A command line that
    /// does not parse exits with <see cref="RulesCommand.BadInput"/>.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Supply Oracle aggregator: collects signed observations, applies the rules, commits reports.")
        {
            RulesCommand.Create(input),
            RunCommand.Create(),
            CheckCommand.Create(),
        };
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
            }

            return RulesCommand.BadInput;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }
}
