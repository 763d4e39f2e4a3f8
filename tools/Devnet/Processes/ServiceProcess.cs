using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Processes;

/// <summary>
/// A long-running node of the network (aggregator or reporter) started as its built executable under tied-child.sh
/// (<see cref="TiedProcess"/>): it is stopped when the orchestrator stops, even when the orchestrator is killed. Its
/// output goes to <see cref="LogFile"/>.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly TiedProcess _process;

    private ServiceProcess(string name, string logFile, TiedProcess process)
    {
        Name = name;
        LogFile = logFile;
        _process = process;
    }

    /// <summary>e.g. <c>aggregator</c>, <c>reporter-3</c>.</summary>
    public string Name { get; }

    /// <summary>Where its output goes.</summary>
    public string LogFile { get; }

    /// <summary>True while it runs.</summary>
    public bool IsRunning => _process.IsRunning;

    /// <summary>Its exit code once stopped.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="executable"/> with <paramref name="arguments"/>, output to <paramref name="logFile"/>.</summary>
    public static ServiceProcess Start(string name, string executable, IReadOnlyList<string> arguments, string logFile,
        IReadOnlyDictionary<string, string>? environment = null) =>
        new(name, logFile, TiedProcess.Start(name, executable, arguments, environment: environment, logFile: logFile));

    /// <summary>The last <paramref name="lines"/> lines of its log.</summary>
    public string Tail(int lines)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    /// <summary>Stops it: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public Task StopAsync(TimeSpan grace) => _process.StopAsync(grace);

    /// <summary>Stops it (SIGTERM, then SIGKILL after the default grace period) and releases its log.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
