using System.Diagnostics;

namespace SupplyOracle.TestSupport.Tests;

public sealed class TiedProcessTests
{
    [Fact]
    public async Task OwnerKilled_ChildIsStoppedAndCleanupDirectoryDeleted()
    {
        // A stand-in owner process: tied-child.sh watches it as it would watch the test process.
        using var owner = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var pidFile = Path.GetTempFileName();
        var scratch = Directory.CreateTempSubdirectory("tied-test-").FullName;
        var script = Path.Combine(AppContext.BaseDirectory, "tied-child.sh");
        using var watchdog = Process.Start(new ProcessStartInfo("/bin/bash")
        {
            ArgumentList = { script, owner.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "TERM", scratch, "--", "/bin/bash", "-c", $"echo $$ > {pidFile}; exec sleep 600" },
            UseShellExecute = false,
        })!;
        var childPid = await ReadPidAsync(pidFile);
        Assert.True(IsAlive(childPid));

        owner.Kill();
        await watchdog.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.False(IsAlive(childPid), "the tied child outlived its owner");
        Assert.False(Directory.Exists(scratch), "the cleanup directory outlived the owner");
        File.Delete(pidFile);
    }

    [Fact]
    public async Task Stop_SendsStopSignalAndReturnsExitCode()
    {
        // SIGTERM rather than SIGINT: a test run started in the background of a non-interactive shell starts with SIGINT
        // ignored, and bash cannot trap a signal ignored on entry. The child sleeps through the wait builtin, which a
        // trapped signal interrupts at once.
        await using var p = TiedProcess.Start("sh", "/bin/bash", ["-c", "trap 'exit 7' TERM; echo ready; while true; do sleep 0.1 & wait $!; done"], Native.SigTerm);
        while (!p.RecentOutput.Contains("ready", StringComparison.Ordinal))
        {
            await Task.Delay(20);
        }

        await p.StopAsync();

        Assert.False(p.IsRunning);
        Assert.Equal(7, p.ExitCode);
    }

    [Fact]
    public async Task Start_WithLogFile_AppendsEveryLineOfBothStreams()
    {
        var log = Path.Combine(Directory.CreateTempSubdirectory("tied-log-").FullName, "child.log");
        await File.WriteAllTextAsync(log, "earlier\n");
        await using (var p = TiedProcess.Start("sh", "/bin/bash", ["-c", "echo out-1; echo err-1 >&2; echo out-2"], logFile: log))
        {
            await p.WaitForExitAsync();
        }

        var lines = await File.ReadAllLinesAsync(log);
        Assert.Equal("earlier", lines[0]);
        Assert.Equal(["earlier", "err-1", "out-1", "out-2"], lines.Order(StringComparer.Ordinal));
        Directory.Delete(Path.GetDirectoryName(log)!, recursive: true);
    }

    private static async Task<int> ReadPidAsync(string file)
    {
        for (var i = 0; i < 200; i++)
        {
            var text = File.Exists(file) ? (await File.ReadAllTextAsync(file)).Trim() : "";
            if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var pid))
            {
                return pid;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("child never wrote its pid");
    }

    private static bool IsAlive(int pid) => Native.Signal(pid, 0);
}
