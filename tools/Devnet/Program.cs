using System.CommandLine;
using SupplyOracle.Devnet.Chaos;
using SupplyOracle.Devnet.Orchestration;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet;

/// <summary>
/// Entry point of <c>supplyoracle-devnet</c> (started by <c>deploy/devnet.sh</c>): runs the whole network locally until
/// Ctrl-C, or until <c>--rounds N</c> rounds are committed on chain.
/// </summary>
internal static class Program
{
    /// <summary>Exit code of a run that completed (or was stopped with Ctrl-C and cleaned up).</summary>
    public const int Ok = 0;

    /// <summary>Exit code of a run that failed (timeout, a process that died, a deployment error).</summary>
    public const int Failed = 1;

    /// <summary>Exit code of a bad command line.</summary>
    public const int BadInput = 2;

    public static async Task<int> Main(string[] args)
    {
        var rounds = new Option<int?>("--rounds") { Description = "Stop after N rounds committed on chain, print a summary and exit 0" };
        var dir = new Option<string?>("--dir") { Description = "Directory for keys, configuration, logs and the PostgreSQL cluster (default: .devnet/ in the repository)" };
        var keep = new Option<bool>("--keep") { Description = "Keep the directory (keys, configuration, logs) when the network stops" };
        var timeout = new Option<int>("--timeout") { Description = "With --rounds: seconds before the run fails", DefaultValueFactory = _ => 300 };
        var root = new RootCommand("Runs the Supply Oracle network locally: PostgreSQL, anvil, the contracts, one aggregator, five reporters and a live view.")
        {
            rounds, dir, keep, timeout, ChaosCommand.Create(),
        };
        root.SetAction(async (r, _) =>
        {
            if (r.GetValue(rounds) is <= 0)
            {
                await Console.Error.WriteLineAsync("error: --rounds: must be a positive number of rounds").ConfigureAwait(false);
                return BadInput;
            }

            if (r.GetValue(timeout) <= 0)
            {
                await Console.Error.WriteLineAsync("error: --timeout: must be a positive number of seconds").ConfigureAwait(false);
                return BadInput;
            }

            var options = new DevnetOptions(
                r.GetValue(rounds),
                Path.GetFullPath(r.GetValue(dir) ?? Path.Combine(RepoPaths.Root, ".devnet")),
                r.GetValue(keep),
                TimeSpan.FromSeconds(r.GetValue(timeout)));
            return await DevnetRunner.RunAsync(options, TimeProvider.System).ConfigureAwait(false);
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            return BadInput;
        }

        // The runner handles SIGINT/SIGTERM itself (it must stop every process and clean up before exiting).
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }
}
