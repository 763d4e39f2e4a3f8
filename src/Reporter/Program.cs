using System.CommandLine;
using SupplyOracle.Reporter.Cli;

namespace SupplyOracle.Reporter;

/// <summary>Entry point of <c>supplyoracle-reporter</c>, the node a reporter operator runs (docs/protocol.md sections 3, 4, 6).</summary>
public static class Program
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code for a failure at run time (node stopped on an error).</summary>
    public const int Failed = 1;

    /// <summary>Exit code for bad input: a command line, setting, key file or password that is not acceptable.</summary>
    public const int BadInput = 2;

    /// <summary>Parses the command line and runs the chosen command.</summary>
    public static Task<int> Main(string[] args) => RunAsync(args, Console.In, Console.Out, Console.Error);

    /// <summary>Runs the command line against the given streams (tests run commands in-process this way).</summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Supply Oracle reporter node: observes free-float supply at pinned blocks, signs and gossips it.")
        {
            RunCommand.Create(),
            CheckCommand.Create(),
            KeysCommand.Create(input),
            JournalExerciseCommand.Create(),
        };
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}").ConfigureAwait(false);
            }
            return BadInput;
        }
        return await parseResult.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }
}
