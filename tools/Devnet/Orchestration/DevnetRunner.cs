using System.Runtime.InteropServices;
using Npgsql;
using Spectre.Console;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.FreeFloatFeed;
using SupplyOracle.Devnet.Monitoring;
using SupplyOracle.Devnet.Processes;
using SupplyOracle.Devnet.View;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Orchestration;

/// <summary>
/// One run of the local network: sets everything up (Setup partial), shows the live view or plain progress while
/// running the governance step (Governance partial), stops after <c>--rounds N</c> commits, on timeout or on
/// SIGINT/SIGTERM, and always cleans up: every process, PostgreSQL, anvil, and the directory unless <c>--keep</c>.
/// </summary>
internal sealed partial class DevnetRunner : IAsyncDisposable
{
    private readonly DevnetOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<(string Name, Uri Health)> _reporterHealth = [];
    private readonly bool _plain = Console.IsOutputRedirected;
    private DevnetDirectory? _directory;
    private PostgresServer? _postgres;
    private AnvilNode? _anvil;
    private DevnetChain? _chain;
    private FeedServer? _feed;
    private NpgsqlDataSource? _aggregatorDatabase;
    private NetworkMonitor? _monitor;
    private Uri? _aggregatorGrpc;
    private Uri? _aggregatorHttp;
    private string? _transmitterKeystore;
    private string? _transmitterPassword;

    private DevnetRunner(DevnetOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Runs the network; returns the process exit code.</summary>
    public static async Task<int> RunAsync(DevnetOptions options, TimeProvider time)
    {
        using var interrupt = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // keep the process alive until everything is stopped
            interrupt.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var deadline = new CancellationTokenSource();
        if (options.Rounds is not null)
        {
            deadline.CancelAfter(options.Timeout);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt.Token, deadline.Token);
        var runner = new DevnetRunner(options, time);
        IReadOnlyList<string> summary;
        await using (runner.ConfigureAwait(false))
        {
            try
            {
                await runner.StartAsync(stop.Token).ConfigureAwait(false);
                summary = await runner.WatchAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
                Console.WriteLine("interrupted: stopping the network");
                return 130;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                runner.ReportFailure($"timed out after {options.Timeout.TotalSeconds:F0} s with {runner._monitor?.Commits.Count ?? 0} of {options.Rounds} rounds committed");
                return Program.Failed;
            }
            catch (Exception e) when (e is DevnetSetupException or ToolMissingException or CommandFailedException or PostgresStartException or AnvilException
                or NodeFailedException or Contracts.Bindings.JsonRpc.JsonRpcException or Contracts.Bindings.JsonRpc.JsonRpcTransportException
                or Contracts.Bindings.Transactions.TransactionRevertedException or Contracts.Bindings.Transactions.FeeCeilingExceededException
                or NpgsqlException or HttpRequestException or IOException)
            {
                runner.ReportFailure(e.Message);
                return Program.Failed;
            }
        }

        // After the clean-up messages: the summary's last line is the last line of the run (test.sh reads it).
        foreach (var line in summary)
        {
            Console.WriteLine(line);
        }

        return Program.Ok;
    }

    private async Task<IReadOnlyList<string>> WatchAsync(CancellationToken cancellationToken)
    {
        var governance = RunGovernanceAsync(cancellationToken);
        NetworkSnapshot? last = null;
        async Task<bool> StepAsync(Action<NetworkSnapshot> show)
        {
            last = await _monitor!.ReadAsync(cancellationToken).ConfigureAwait(false);
            show(last);
            if (last.Processes.FirstOrDefault(p => !p.Up) is { } down)
            {
                throw new NodeFailedException(down.Name, down.Detail);
            }

            if (governance.IsFaulted)
            {
                await governance.ConfigureAwait(false);
            }

            if (_options.Rounds is { } rounds && last.Commits.Count >= rounds)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            return false;
        }

        if (_plain)
        {
            var progress = new PlainProgress(Console.Out);
            while (!await StepAsync(progress.Show).ConfigureAwait(false))
            {
            }
        }
        else
        {
            var directory = _directory!.Root;
            await AnsiConsole.Live(new Markup("starting the view…")).AutoClear(false).StartAsync(async context =>
            {
                while (!await StepAsync(s => context.UpdateTarget(LiveView.Render(s, directory))).ConfigureAwait(false))
                {
                }
            }).ConfigureAwait(false);
        }

        // The governance step notes the exclusion's effect when it sees the commit that carries it: give it a moment.
        await Task.WhenAny(governance, Task.Delay(TimeSpan.FromSeconds(3), _time, cancellationToken)).ConfigureAwait(false);
        var final = await _monitor!.ReadAsync(cancellationToken).ConfigureAwait(false);
        return Summary.Lines(last!.Commits, final.Tokens, final.Events, final.PolicySkips);
    }

    private void Say(string text)
    {
        Console.WriteLine($"[devnet] {text}");
        Console.Out.Flush();
    }

    private void ReportFailure(string problem)
    {
        Console.Error.WriteLine($"devnet failed: {problem}");
        foreach (var p in _processes)
        {
            Console.Error.WriteLine($"--- last lines of {p.LogFile} ({(p.IsRunning ? "running" : $"exited {p.ExitCode}")})");
            Console.Error.WriteLine(p.Tail(25));
        }
    }

    /// <summary>Stops every process, PostgreSQL and anvil, and deletes the directory unless <c>--keep</c>; says what it cleaned up.</summary>
    public async ValueTask DisposeAsync()
    {
        var stopped = new List<string>();
        // The nodes stop together: each gets SIGTERM and a few seconds to drain before SIGKILL.
        await Task.WhenAll(_processes.Select(p => p.StopAsync(TimeSpan.FromSeconds(5)))).ConfigureAwait(false);
        foreach (var p in _processes)
        {
            await p.DisposeAsync().ConfigureAwait(false);
            stopped.Add(p.Name);
        }

        if (_proxy is not null)
        {
            await _proxy.DisposeAsync().ConfigureAwait(false);
            stopped.Add("RPC fault proxy");
        }

        if (_feed is not null)
        {
            await _feed.DisposeAsync().ConfigureAwait(false);
            stopped.Add("free-float feed");
        }

        if (_aggregatorDatabase is not null)
        {
            await _aggregatorDatabase.DisposeAsync().ConfigureAwait(false);
        }

        if (_anvil is not null)
        {
            await _anvil.DisposeAsync().ConfigureAwait(false);
            stopped.Add("anvil");
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
            stopped.Add("PostgreSQL");
        }

        _monitor?.Dispose();
        _http.Dispose();
        if (stopped.Count > 0)
        {
            Console.WriteLine($"[devnet] stopped {string.Join(", ", stopped)}");
        }

        if (_directory is not null)
        {
            if (_options.Keep)
            {
                Console.WriteLine($"[devnet] kept {_directory.Root} (keys, configuration, journals, logs)");
            }
            else
            {
                _directory.Delete();
                Console.WriteLine($"[devnet] removed {_directory.Root}");
            }
        }
    }
}

/// <summary>A node process of the network exited while the network was running.</summary>
internal sealed class NodeFailedException(string node, string detail) : Exception($"{node} stopped unexpectedly ({detail})")
{
    /// <summary>The node.</summary>
    public string Node { get; } = node;
}
