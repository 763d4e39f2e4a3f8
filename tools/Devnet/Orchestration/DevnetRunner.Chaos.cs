using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.Chaos;
using SupplyOracle.Devnet.Processes;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Orchestration;

/// <summary>
/// The chaos mode (issue 24): the devnet's network (Setup partial) with two reporters behind a fault-injecting
/// JSON-RPC proxy, seeded faults of every <see cref="FaultKind"/>, then the checks of <see cref="ChaosVerdict"/> on
/// chain, through the aggregator's query API and on the reporters' journals.
/// </summary>
internal sealed partial class DevnetRunner
{
    /// <summary>The reporters (0-based) whose JSON-RPC endpoint is the fault-injecting proxy.</summary>
    private static readonly int[] s_proxiedReporters = [0, 1];

    /// <summary>The aggregator's <c>CloseAfterSeconds</c> in the devnet configuration.</summary>
    private static readonly TimeSpan s_closeWindow = TimeSpan.FromSeconds(6);

    private readonly List<(ulong Head, DateTimeOffset At)> _headSeen = [];
    private readonly List<string> _unexpectedExits = [];
    private ChaosOptions? _chaos;
    private RpcFaultProxy? _proxy;
    private Address? _transmitter;

    /// <summary>Runs the chaos mode; returns the exit code (1 when a safety check fails).</summary>
    public static async Task<int> RunChaosAsync(ChaosOptions chaos, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(chaos);
        using var interrupt = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupt.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var timeout = chaos.Length + TimeSpan.FromMinutes(15);
        using var deadline = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt.Token, deadline.Token);
        var runner = new DevnetRunner(new DevnetOptions(null, chaos.Directory, chaos.Keep, timeout), time) { _chaos = chaos };
        ChaosVerdict verdict;
        await using (runner.ConfigureAwait(false))
        {
            try
            {
                await runner.StartAsync(stop.Token).ConfigureAwait(false);
                verdict = await runner.ChaosAsync(chaos, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
            {
                Console.WriteLine("interrupted: stopping the network");
                return 130;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                runner.ReportFailure($"chaos run timed out after {timeout.TotalMinutes:F0} min");
                return Program.Failed;
            }
            catch (Exception e) when (e is DevnetSetupException or ToolMissingException or CommandFailedException or PostgresStartException or AnvilException
                or Contracts.Bindings.JsonRpc.JsonRpcException or Contracts.Bindings.JsonRpc.JsonRpcTransportException or HttpRequestException
                or IOException or ChaosException or Npgsql.NpgsqlException)
            {
                runner.ReportFailure(e.Message);
                return Program.Failed;
            }
        }

        foreach (var line in verdict.Lines)
        {
            Console.WriteLine($"[chaos] {line}");
        }

        foreach (var line in runner._unexpectedExits)
        {
            Console.WriteLine($"[chaos] unexpected exit: {line}");
        }

        foreach (var failure in verdict.AvailabilityFailures)
        {
            Console.WriteLine($"[chaos] availability: {failure}");
        }

        foreach (var failure in verdict.SafetyFailures)
        {
            Console.WriteLine($"[chaos] SAFETY FAILURE: {failure}");
        }

        var missing = FaultPlan.Kinds.Where(k => !verdict.InjectedKinds.Contains(k)).ToArray();
        Console.WriteLine($"[chaos] availability criteria: {(verdict.AvailabilityFailures.Count == 0 ? "met" : $"{verdict.AvailabilityFailures.Count} not met")}");
        Console.WriteLine(missing.Length == 0 ? "[chaos] every fault kind injected" : $"[chaos] fault kinds never injected: {string.Join(", ", missing)}");
        Console.WriteLine($"[chaos] safety checks: {(verdict.SafetyFailures.Count == 0 ? "passed" : $"{verdict.SafetyFailures.Count} FAILED")}");
        return verdict.SafetyFailures.Count == 0 && missing.Length == 0 ? Program.Ok : Program.Failed;
    }

    /// <summary>The JSON-RPC endpoint of reporter <paramref name="index"/>: the proxy for the proxied reporters in chaos mode.</summary>
    private Uri ReporterRpc(Uri anvil, int index)
    {
        if (_chaos is null || !s_proxiedReporters.Contains(index))
        {
            return anvil;
        }

        _proxy ??= RpcFaultProxy.Start(anvil);
        return _proxy.Url;
    }

    private async Task<ChaosVerdict> ChaosAsync(ChaosOptions chaos, CancellationToken cancellationToken)
    {
        var plan = FaultPlan.Create(chaos.Seed, chaos.Length, ReporterCount, s_closeWindow);
        Chaos($"seed {chaos.Seed}: {plan.Count} faults over {chaos.Length.TotalMinutes:F0} min; reporters {string.Join(", ", s_proxiedReporters.Select(i => $"reporter-{i + 1}"))} use the fault-injecting RPC proxy {_proxy!.Url}");
        using var probe = new ChainProbe(_anvil!.RpcUrl);
        using var polling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var poller = PollHeadAsync(probe, polling.Token);
        try
        {
            // Faults start once the network works: a first round committed.
            var waited = _time.GetUtcNow();
            while (await _chain!.Oracle.LastRoundAsync(Contracts.Bindings.JsonRpc.BlockId.Latest, cancellationToken).ConfigureAwait(false) == 0)
            {
                if (_time.GetUtcNow() - waited > TimeSpan.FromMinutes(10))
                {
                    throw new ChaosException("no round committed within 10 minutes of start: the network does not work without faults");
                }

                await WatchUntilAsync(_time.GetUtcNow() + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }

            var start = _time.GetUtcNow();
            var firstRound = (await probe.TryHeadAsync(cancellationToken).ConfigureAwait(false) ?? 0) / DevnetParameters.Oracle.RoundBlocks;
            Chaos($"first commit seen; faults start at round {firstRound}");
            var faults = new List<InjectedFault>();
            foreach (var fault in plan)
            {
                await WatchUntilAsync(start + fault.At, cancellationToken).ConfigureAwait(false);
                var injected = await InjectAsync(fault, probe, cancellationToken).ConfigureAwait(false);
                faults.Add(injected);
                Chaos($"+{(injected.Started - start).TotalSeconds,5:F0} s {fault.Kind}{(fault.Kind is FaultKind.ReporterKill or FaultKind.ReporterStop ? $" reporter-{fault.Reporter + 1}" : "")}: " +
                    $"{injected.Detail} ({(injected.Ended - injected.Started).TotalSeconds:F1} s)");
            }

            await WatchUntilAsync(start + chaos.Length, cancellationToken).ConfigureAwait(false);
            await HealAsync(probe, cancellationToken).ConfigureAwait(false);
            var endHead = await probe.TryHeadAsync(cancellationToken).ConfigureAwait(false) ?? throw new ChaosException("anvil does not answer after the faults");
            var lastRound = endHead / DevnetParameters.Oracle.RoundBlocks + 2;
            Chaos($"faults over; settling until round {lastRound} has ended");
            var rounds = await SettleAsync(probe, lastRound, cancellationToken).ConfigureAwait(false);
            await polling.CancelAsync().ConfigureAwait(false);
            await poller.ConfigureAwait(false);

            var observations = await ObserveAsync(probe, firstRound, lastRound, rounds, faults, cancellationToken).ConfigureAwait(false);
            return ChaosVerdict.Judge(observations);
        }
        finally
        {
            await polling.CancelAsync().ConfigureAwait(false);
            await poller.ConfigureAwait(false);
        }
    }

    private async Task PollHeadAsync(ChainProbe probe, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await probe.TryHeadAsync(cancellationToken).ConfigureAwait(false) is { } head)
                {
                    lock (_headSeen)
                    {
                        if (_headSeen.Count == 0 || _headSeen[^1].Head < head)
                        {
                            _headSeen.Add((head, _time.GetUtcNow()));
                        }
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    // Waits until the time of the next fault, restarting a node that exited without being told to (noted in the report).
    private async Task WatchUntilAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        while (_time.GetUtcNow() < until)
        {
            foreach (var p in _processes.Where(p => !p.IsRunning).ToArray())
            {
                _unexpectedExits.Add($"{p.Name} exited {p.ExitCode} at {_time.GetUtcNow():HH:mm:ss}: {p.Tail(3).ReplaceLineEndings(" | ")}");
                Chaos($"{p.Name} exited by itself ({p.ExitCode}); starting it again");
                await RestartNodeAsync(p.Name, cancellationToken).ConfigureAwait(false);
            }

            var left = until - _time.GetUtcNow();
            await Task.Delay(left < TimeSpan.FromSeconds(1) ? left > TimeSpan.Zero ? left : TimeSpan.Zero : TimeSpan.FromSeconds(1), _time, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private async Task<InjectedFault> InjectAsync(PlannedFault fault, ChainProbe probe, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var reporter = $"reporter-{fault.Reporter + 1}";
        string detail;
        switch (fault.Kind)
        {
            case FaultKind.AggregatorKill:
                detail = await KillAndRestartAsync("aggregator", fault.Duration, cancellationToken).ConfigureAwait(false);
                break;
            case FaultKind.AggregatorKillInFlight:
                return await KillInFlightAsync(fault, probe, cancellationToken).ConfigureAwait(false);
            case FaultKind.AggregatorStop:
                detail = await PauseAsync(NodePid("aggregator"), fault.Duration, cancellationToken).ConfigureAwait(false);
                break;
            case FaultKind.ReporterKill:
                detail = await KillAndRestartAsync(reporter, fault.Duration, cancellationToken).ConfigureAwait(false);
                break;
            case FaultKind.ReporterStop:
                detail = await PauseAsync(NodePid(reporter), fault.Duration, cancellationToken).ConfigureAwait(false);
                break;
            case FaultKind.PostgresRestart:
                await _postgres!.RestartAsync(PostgresStopMode.Immediate, cancellationToken).ConfigureAwait(false);
                detail = "PostgreSQL stopped in immediate mode and started again";
                break;
            case FaultKind.AnvilPause:
                detail = await PauseAsync(ProcessSignals.Find("anvil", _anvil!.Port.ToString(CultureInfo.InvariantCulture)), fault.Duration, cancellationToken)
                    .ConfigureAwait(false);
                break;
            case FaultKind.RpcLie or FaultKind.RpcTimeout:
                _proxy!.Mode = fault.Kind == FaultKind.RpcLie ? ProxyMode.Lie : ProxyMode.Timeout;
                await Task.Delay(fault.Duration, _time, cancellationToken).ConfigureAwait(false);
                _proxy.Mode = ProxyMode.Honest;
                detail = fault.Kind == FaultKind.RpcLie
                    ? $"proxy lied (head {RpcFaultProxy.LieBlocksBehind} blocks behind, wrong block hashes)"
                    : "proxy held every request unanswered";
                break;
            default:
                throw new InvalidOperationException($"unknown fault kind {fault.Kind}");
        }

        return new InjectedFault(fault, started, _time.GetUtcNow(), detail);
    }

    // kill -9 the aggregator while its commit sits unmined: mining stops when a round opens (B_r + 2 seen), the run
    // waits for the transmitter's pending nonce to pass its mined one, kills, lets the chain mine the transaction, and
    // starts the aggregator again. Rounds with nothing to commit are let go (mining resumes) until one commits.
    private async Task<InjectedFault> KillInFlightAsync(PlannedFault fault, ChainProbe probe, CancellationToken cancellationToken)
    {
        var tryUntil = _time.GetUtcNow() + TimeSpan.FromSeconds(90);
        var transmitter = _transmitter!.Value.ToString();
        var roundBlocks = DevnetParameters.Oracle.RoundBlocks;
        ulong tried = 0;
        while (_time.GetUtcNow() < tryUntil)
        {
            var head = await probe.TryHeadAsync(cancellationToken).ConfigureAwait(false) ?? 0;
            var round = head / roundBlocks;
            if (round <= tried || head < round * roundBlocks + 2 || head > round * roundBlocks + 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            tried = round;
            await probe.SetIntervalMiningAsync(0, cancellationToken).ConfigureAwait(false);
            var stalled = _time.GetUtcNow();
            var inPool = false;
            while (_time.GetUtcNow() - stalled < TimeSpan.FromSeconds(8))
            {
                if (await probe.NonceAsync(transmitter, "pending", cancellationToken).ConfigureAwait(false)
                    > await probe.NonceAsync(transmitter, "latest", cancellationToken).ConfigureAwait(false))
                {
                    inPool = true;
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
            }

            if (!inPool)
            {
                await probe.SetIntervalMiningAsync(DevnetParameters.BlockTimeSeconds, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var started = _time.GetUtcNow();
            var pid = NodePid("aggregator");
            ProcessSignals.Send(pid, "KILL");
            await WaitExitedAsync("aggregator", cancellationToken).ConfigureAwait(false);
            await probe.SetIntervalMiningAsync(DevnetParameters.BlockTimeSeconds, cancellationToken).ConfigureAwait(false);
            await Task.Delay(fault.Duration, _time, cancellationToken).ConfigureAwait(false);
            await RestartNodeAsync("aggregator", cancellationToken).ConfigureAwait(false);
            return new InjectedFault(fault, started, _time.GetUtcNow(),
                $"round {round}'s commit in the pool (chain stalled {(started - stalled).TotalSeconds:F1} s); aggregator pid {pid} killed, mining resumed, restarted after {fault.Duration.TotalSeconds:F1} s");
        }

        var now = _time.GetUtcNow();
        return new InjectedFault(fault, now, now, "no commit reached the pool within 90 s: not injected", Injected: false);
    }

    private async Task<string> KillAndRestartAsync(string name, TimeSpan down, CancellationToken cancellationToken)
    {
        var pid = NodePid(name);
        ProcessSignals.Send(pid, "KILL");
        await WaitExitedAsync(name, cancellationToken).ConfigureAwait(false);
        await Task.Delay(down, _time, cancellationToken).ConfigureAwait(false);
        await RestartNodeAsync(name, cancellationToken).ConfigureAwait(false);
        return $"pid {pid} killed (SIGKILL), started again after {down.TotalSeconds:F1} s";
    }

    private async Task<string> PauseAsync(int? pid, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (pid is not { } p)
        {
            throw new ChaosException("the process to pause was not found");
        }

        ProcessSignals.Send(p, "STOP");
        try
        {
            await Task.Delay(duration, _time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ProcessSignals.Send(p, "CONT");
        }

        return $"pid {p} stopped (SIGSTOP) and continued (SIGCONT)";
    }

    private int NodePid(string name)
    {
        var (program, config) = NodeCommand(name);
        return ProcessSignals.Find(Path.GetFileName(program), config) ?? throw new ChaosException($"{name}'s process was not found");
    }

    private (string Program, string Config) NodeCommand(string name) => name == "aggregator"
        ? (Executables.Aggregator, Path.Combine(_directory!.Config, "aggregator.json"))
        : (Executables.Reporter, Path.Combine(_directory!.Config, $"{name}.json"));

    private async Task WaitExitedAsync(string name, CancellationToken cancellationToken)
    {
        var process = _processes.Single(p => p.Name == name);
        for (var i = 0; i < 100 && process.IsRunning; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Starts a node again with its configuration and log (appended); the aggregator is waited for until healthy.
    private async Task RestartNodeAsync(string name, CancellationToken cancellationToken)
    {
        var index = _processes.FindIndex(p => p.Name == name);
        await _processes[index].DisposeAsync().ConfigureAwait(false);
        var (program, config) = NodeCommand(name);
        var process = ServiceProcess.Start(name, program, ["run", "--config", config], Path.Combine(_directory!.Logs, $"{name}.log"), QuietHostLogging);
        _processes[index] = process;
        if (name != "aggregator")
        {
            return;
        }

        // On a loaded machine a start can take a minute: wait up to three, then leave it to the exit watch.
        var started = _time.GetUtcNow();
        while (!await WaitHealthyAsync(process, new Uri(_aggregatorHttp!, "healthz"), cancellationToken).ConfigureAwait(false))
        {
            if (!process.IsRunning || _time.GetUtcNow() - started > TimeSpan.FromMinutes(3))
            {
                _unexpectedExits.Add($"the aggregator was not healthy {(_time.GetUtcNow() - started).TotalSeconds:F0} s after a restart ({(process.IsRunning ? "running" : $"exited {process.ExitCode}")})");
                return;
            }
        }
    }

    // After the last fault: every node runs, anvil mines, the proxy is honest.
    private async Task HealAsync(ChainProbe probe, CancellationToken cancellationToken)
    {
        _proxy!.Mode = ProxyMode.Honest;
        if (ProcessSignals.Find("anvil", _anvil!.Port.ToString(CultureInfo.InvariantCulture)) is { } anvil)
        {
            ProcessSignals.Send(anvil, "CONT");
        }

        await probe.SetIntervalMiningAsync(DevnetParameters.BlockTimeSeconds, cancellationToken).ConfigureAwait(false);
        await WatchUntilAsync(_time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    // Waits until the head is two rounds past lastRound and every round up to it has ended in the query API (or 3 minutes).
    private async Task<IReadOnlyList<ApiRound>> SettleAsync(ChainProbe probe, ulong lastRound, CancellationToken cancellationToken)
    {
        var until = _time.GetUtcNow() + TimeSpan.FromMinutes(3);
        while (true)
        {
            await WatchUntilAsync(_time.GetUtcNow() + TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            var head = await probe.TryHeadAsync(cancellationToken).ConfigureAwait(false) ?? 0;
            if (head / DevnetParameters.Oracle.RoundBlocks < lastRound + 2)
            {
                continue;
            }

            var rounds = await ApiRoundsAsync(cancellationToken).ConfigureAwait(false);
            var open = rounds.Where(r => r.Round <= lastRound && r.Phase is not ("confirmed" or "abandoned" or "superseded" or "failed")).ToArray();
            if (open.Length == 0 || _time.GetUtcNow() > until)
            {
                return rounds;
            }
        }
    }

    private async Task<IReadOnlyList<ApiRound>> ApiRoundsAsync(CancellationToken cancellationToken)
    {
        var rounds = new List<ApiRound>();
        ulong? before = null;
        while (true)
        {
            var url = new Uri(_aggregatorHttp!, $"v1/rounds?limit=1000{(before is { } b ? $"&before={b}" : "")}");
            using var document = JsonDocument.Parse(await _http.GetStringAsync(url, cancellationToken).ConfigureAwait(false));
            var page = document.RootElement.GetProperty("rounds").EnumerateArray().Select(r => new ApiRound(
                r.GetProperty("round").GetUInt64(),
                r.GetProperty("phase").GetString() ?? "",
                r.TryGetProperty("transaction_hash", out var tx) && tx.ValueKind == JsonValueKind.String ? tx.GetString() : null,
                r.TryGetProperty("commit_block", out var block) && block.ValueKind == JsonValueKind.Number ? block.GetUInt64() : null,
                r.TryGetProperty("end_reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null,
                r.TryGetProperty("equivocations", out var eq) && eq.ValueKind == JsonValueKind.Number ? eq.GetInt32() : 0)).ToArray();
            rounds.AddRange(page);
            if (page.Length < 1000 || page[^1].Round <= 1)
            {
                return rounds;
            }

            before = page[^1].Round;
        }
    }

    private async Task<ChaosObservations> ObserveAsync(ChainProbe probe, ulong firstRound, ulong lastRound, IReadOnlyList<ApiRound> rounds,
        IReadOnlyList<InjectedFault> faults, CancellationToken cancellationToken)
    {
        var head = await probe.TryHeadAsync(cancellationToken).ConfigureAwait(false) ?? throw new ChaosException("anvil does not answer");
        var events = await _chain!.Oracle.GetCommittedEventsAsync(0, head, cancellationToken).ConfigureAwait(false);
        var commits = events.Where(e => !e.Log.Removed)
            .Select(e => new ChainCommit(e.Round, e.Log.BlockNumber, e.Log.LogIndex, e.Log.TransactionHash.ToString())).ToArray();
        var commitTransactions = commits.Select(c => c.Transaction).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // Every transaction the transmitter sent that was mined, with its receipt's status.
        var transmitter = _transmitter!.Value.ToString();
        var transactions = new List<TransmitterTransaction>();
        for (var n = 1UL; n <= head; n++)
        {
            var block = await probe.BlockAsync(n, cancellationToken).ConfigureAwait(false);
            foreach (var tx in block.GetProperty("transactions").EnumerateArray())
            {
                if (!string.Equals(tx.GetProperty("from").GetString(), transmitter, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var hash = tx.GetProperty("hash").GetString()!;
                var receipt = await probe.ReceiptAsync(hash, cancellationToken).ConfigureAwait(false);
                transactions.Add(new TransmitterTransaction(hash, ChainProbe.Quantity(tx.GetProperty("nonce")),
                    ChainProbe.Quantity(receipt.GetProperty("status")) == 1, commitTransactions.Contains(hash)));
            }
        }

        var nonce = await probe.NonceAsync(transmitter, "latest", cancellationToken).ConfigureAwait(false);

        // The journals: the reporters are stopped (SIGTERM) and each journal is opened as a starting node opens it.
        var reporters = _processes.Where(p => p.Name.StartsWith("reporter-", StringComparison.Ordinal)).ToArray();
        await Task.WhenAll(reporters.Select(p => p.StopAsync(TimeSpan.FromSeconds(10)))).ConfigureAwait(false);
        var journals = new List<JournalCheck>();
        foreach (var r in reporters)
        {
            var journal = Path.Combine(_directory!.Journals, $"{r.Name}.journal");
            try
            {
                await CommandLine.RunAsync(Executables.Reporter, ["journal-exercise", "--journal", journal, "--rounds", "0"], null, cancellationToken)
                    .ConfigureAwait(false);
                journals.Add(new JournalCheck(r.Name, true, ""));
            }
            catch (CommandFailedException e)
            {
                journals.Add(new JournalCheck(r.Name, false, e.Message.ReplaceLineEndings(" ")));
            }
        }

        List<(ulong, DateTimeOffset)> seen;
        lock (_headSeen)
        {
            seen = [.. _headSeen];
        }

        return new ChaosObservations(firstRound, lastRound, DevnetParameters.Oracle.RoundBlocks, 2, s_closeWindow, commits, transactions, nonce,
            rounds, faults, seen, journals);
    }

    private static void Chaos(string text)
    {
        Console.WriteLine($"[chaos] {text}");
        Console.Out.Flush();
    }
}

/// <summary>The chaos run could not go on (a node not found, the network not working before any fault).</summary>
internal sealed class ChaosException(string message) : Exception(message);
