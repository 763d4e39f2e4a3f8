using System.CommandLine;
using SupplyOracle.Devnet.Orchestration;

namespace SupplyOracle.Devnet.Chaos;

/// <summary>
/// <c>supplyoracle-devnet chaos [--minutes N] [--seed S] [--dir DIR] [--keep]</c> (run by <c>./bench.sh chaos</c>): the
/// local network under seeded faults, then the safety checks; exit 1 when one fails.
/// </summary>
internal static class ChaosCommand
{
    public static Command Create()
    {
        var minutes = new Option<double>("--minutes") { Description = "How long faults are injected", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "The fault schedule's seed (same seed, same faults)", DefaultValueFactory = _ => 1 };
        var dir = new Option<string?>("--dir") { Description = "Directory for keys, configuration, journals and logs (default: a new one under TMPDIR)" };
        var keep = new Option<bool>("--keep") { Description = "Keep the directory (logs, journals) afterwards" };
        var command = new Command("chaos", "Runs the network under seeded faults of every kind and checks safety on chain, through the query API and in the journals")
        {
            minutes, seed, dir, keep,
        };
        command.SetAction(async (r, _) =>
        {
            var length = TimeSpan.FromMinutes(r.GetValue(minutes));
            var least = FaultPlan.MinimumSpacing * FaultPlan.Kinds.Count;
            if (!(length >= least) || length > TimeSpan.FromHours(24))
            {
                await Console.Error.WriteLineAsync($"error: --minutes: must be between {least.TotalMinutes:F0} (one fault of each of the {FaultPlan.Kinds.Count} kinds) and 1440")
                    .ConfigureAwait(false);
                return Program.BadInput;
            }

            var directory = r.GetValue(dir) is { } d
                ? Path.GetFullPath(d)
                : Path.Combine(Path.GetTempPath(), $"supplyoracle-chaos-{Guid.NewGuid():N}"[..28]);
            return await DevnetRunner.RunChaosAsync(new ChaosOptions(length, r.GetValue(seed), directory, r.GetValue(keep)), TimeProvider.System)
                .ConfigureAwait(false);
        });
        return command;
    }
}
