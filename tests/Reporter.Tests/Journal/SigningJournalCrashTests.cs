using System.Collections.Concurrent;
using System.Diagnostics;
using SupplyOracle.Reporter.Journal;
using SupplyOracle.Rules.Domain;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Journal;

/// <summary>
/// Runs the real reporter executable signing batches through its journal, SIGKILLs it at random points, restarts it
/// with different batch contents, and checks that no round ever gets a second, different signed batch.
/// </summary>
public sealed class SigningJournalCrashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("journal-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task GetOrSignAsync_ProcessKilledDuringWrites_NeverSignsADifferentBatchAfterRestart()
    {
        var journalPath = Path.Combine(_dir, "journal.bin");
        var released = new ConcurrentDictionary<ulong, string>();
        var random = new Random(20261121);
        var resent = 0;
        for (var run = 1; run <= 6; run++)
        {
            var lines = await RunAndKillAsync(journalPath, variant: (ulong)run, killAfter: TimeSpan.FromMilliseconds(random.Next(150, 700)));
            foreach (var (round, digest, status) in lines)
            {
                // A batch printed by the process had been fsynced: from then on it is the only batch for its round.
                var first = released.GetOrAdd(round, digest);
                Assert.True(first == digest, $"run {run}: round {round} signed as {digest}, but {first} was released before");
                if (status == "journaled")
                {
                    resent++;
                }
            }
        }

        using var journal = SigningJournal.Open(journalPath);
        foreach (var (round, digest) in released)
        {
            Assert.Equal(digest, journal.Find(new RoundId(round))!.Digest.ToString());
        }
        Assert.True(resent > 0, "later runs should have found journaled rounds");
        Assert.True(released.Count > 10, $"only {released.Count} rounds were signed");
    }

    private static async Task<List<(ulong Round, string Digest, string Status)>> RunAndKillAsync(string journal, ulong variant, TimeSpan killAfter)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "supplyoracle-reporter.dll");
        var start = new ProcessStartInfo(RepoPaths.FindExecutable("dotnet") ?? "dotnet", [exe, "journal-exercise", "--journal", journal, "--rounds", "1000000", "--variant", variant.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var lines = new List<(ulong, string, string)>();
        var firstLine = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var parts = line.Split(' ');
                lock (lines)
                {
                    lines.Add((ulong.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1], parts[2]));
                }
                firstLine.TrySetResult();
            }
        });
        try
        {
            await Task.WhenAny(firstLine.Task, process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.False(process.HasExited, await ErrorOf(process));
            await Task.Delay(killAfter);
            Assert.False(process.HasExited, await ErrorOf(process));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        await reader;
        return lines;
    }

    private static async Task<string> ErrorOf(Process process) => process.HasExited ? await process.StandardError.ReadToEndAsync() : "";
}
