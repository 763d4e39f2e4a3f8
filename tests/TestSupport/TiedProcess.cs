using System.Collections.Concurrent;
using System.Diagnostics;

namespace SupplyOracle.TestSupport;

/// <summary>
/// A long-running child process (postgres, anvil, a node script) started through tied-child.sh, so that it is stopped
/// even when the test process is killed. Keeps the last lines of its output for error messages.
/// </summary>
public sealed class TiedProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private readonly Process _watchdog;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly StreamWriter? _log;

    private TiedProcess(Process watchdog, string name, StreamWriter? log)
    {
        _watchdog = watchdog;
        Name = name;
        _log = log;
    }

    /// <summary>A short name for messages.</summary>
    public string Name { get; }

    /// <summary>True while the child runs.</summary>
    public bool IsRunning => !_watchdog.HasExited;

    /// <summary>The exit code once it has stopped.</summary>
    public int ExitCode => _watchdog.ExitCode;

    /// <summary>The last lines the child printed (stdout and stderr).</summary>
    public string RecentOutput => string.Join('\n', _output);

    /// <summary>
    /// Starts <paramref name="fileName"/> tied to this process; <paramref name="stopSignal"/> is what a stop sends.
    /// <paramref name="cleanupDirectory"/>, if given, is deleted by the watchdog when this process dies first.
    /// <paramref name="logFile"/>, if given, receives every line the child prints (appended, flushed per line).
    /// </summary>
    public static TiedProcess Start(string name, string fileName, IEnumerable<string> arguments, int stopSignal = Native.SigTerm,
        string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, string? cleanupDirectory = null,
        string? logFile = null)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "tied-child.sh");
        var psi = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add(SignalName(stopSignal));
        psi.ArgumentList.Add(cleanupDirectory ?? "-");
        psi.ArgumentList.Add("--");
        psi.ArgumentList.Add(fileName);
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                psi.Environment[k] = v;
            }
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var log = logFile is null ? null : new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        var tied = new TiedProcess(process, name, log);
        process.OutputDataReceived += (_, e) => tied.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => tied.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tied;
    }

    /// <summary>Waits until the child exits.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _watchdog.WaitForExitAsync(cancellationToken);

    /// <summary>Asks the child to stop with its stop signal and waits; kills it after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (_watchdog.HasExited)
        {
            return;
        }

        Native.Signal(_watchdog.Id, Native.SigTerm);
        using var cts = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(15));
        try
        {
            await _watchdog.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree();
            await _watchdog.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _watchdog.Dispose();
        if (_log is not null)
        {
            lock (_log)
            {
                _log.Dispose();
            }
        }
    }

    private void KillTree()
    {
        try
        {
            _watchdog.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill: nothing left to stop.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (_log is not null)
        {
            lock (_log)
            {
                try
                {
                    _log.WriteLine(line);
                }
                catch (ObjectDisposedException)
                {
                    // A last line after DisposeAsync closed the log: it is kept in memory only.
                }
            }
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }

    private static string SignalName(int signal) => signal switch
    {
        Native.SigInt => "INT",
        Native.SigQuit => "QUIT",
        Native.SigKill => "KILL",
        _ => "TERM",
    };
}
