using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.Processes;

namespace SupplyOracle.Devnet.Monitoring;

/// <summary>
/// Reads what the view shows, from the sources of truth: the chain (head, oracle state, <c>Committed</c> events and
/// their receipts), the aggregator's event log (accepted batches per round) and <c>/healthz</c>, and the node processes.
/// </summary>
internal sealed class NetworkMonitor : IDisposable
{
    /// <summary>The aggregator's intake event for an accepted batch (README "Aggregator configuration").</summary>
    public const string ObservationAccepted = "observation-accepted.v1";

    /// <summary>The aggregator's event for a closed round; its <c>outcomes</c> are <c>token:in-report|left-out:reason</c>.</summary>
    public const string RoundClosed = "round-closed.v1";

    /// <summary>The aggregator's event for a round that ended without a commit, with its reason.</summary>
    public const string RoundAbandoned = "round-abandoned.v1";

    private readonly DevnetChain _chain;
    private readonly HttpClient _http;
    private readonly Uri _aggregatorHealth;
    private readonly NpgsqlDataSource _aggregatorDatabase;
    private readonly Func<IReadOnlyList<ServiceProcess>> _processes;
    private readonly List<CommitRecord> _commits = [];
    private readonly ConcurrentQueue<string> _events = new();
    private readonly Dictionary<ulong, int> _accepted = [];
    private readonly SortedDictionary<ulong, IReadOnlyList<string>> _policySkips = [];
    private readonly SortedDictionary<ulong, string> _abandoned = [];
    private readonly List<GovernanceEvent> _governance = [];
    private readonly SemaphoreSlim _reading = new(1, 1);
    private ulong _scannedTo;
    private ulong _governanceScannedTo;
    private bool _governanceScanned;

    public NetworkMonitor(DevnetChain chain, HttpClient http, Uri aggregatorHealth, NpgsqlDataSource aggregatorDatabase,
        Func<IReadOnlyList<ServiceProcess>> processes, ulong scanFrom)
    {
        _chain = chain;
        _http = http;
        _aggregatorHealth = aggregatorHealth;
        _aggregatorDatabase = aggregatorDatabase;
        _processes = processes;
        _scannedTo = scanFrom;
    }

    /// <summary>Commits seen so far, oldest first.</summary>
    public IReadOnlyList<CommitRecord> Commits => _commits;

    /// <summary>Records a notable step (shown in the view and printed in plain mode).</summary>
    public void Note(string text) => _events.Enqueue(text);

    /// <summary>Reads a fresh snapshot (callers are serialised: the view and the governance step both read).</summary>
    public async Task<NetworkSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task<NetworkSnapshot> ReadCoreAsync(CancellationToken cancellationToken)
    {
        var head = await _chain.Client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
        var at = BlockId.AtNumber(head);
        var headBlock = await _chain.Client.GetBlockAsync(at, cancellationToken).ConfigureAwait(false);
        var headTime = headBlock?.Timestamp ?? 0;
        await ScanCommitsAsync(head, cancellationToken).ConfigureAwait(false);
        await ScanGovernanceAsync(head, cancellationToken).ConfigureAwait(false);
        await ReadAggregatorLogAsync(cancellationToken).ConfigureAwait(false);

        // Everything the view judges comes from the oracle at the head: its parameters (governance may change
        // roundBlocks or reportStaleAfter), the pauses, and each token's frozen and stale flags exactly as the
        // contract's freeFloatFactor computes them (chain time, not this process's clock).
        var parameters = await _chain.Oracle.ParamsAsync(at, cancellationToken).ConfigureAwait(false);
        var paused = await _chain.Oracle.PausedAsync(at, cancellationToken).ConfigureAwait(false);
        var addresses = _chain.Tokens.Select(t => t.Address).ToArray();
        var views = await _chain.Oracle.TokenStatesAsync(addresses, at, cancellationToken).ConfigureAwait(false);
        var reads = new List<SupplyOracleContract.FreeFloatFactorResult>();
        foreach (var token in addresses)
        {
            reads.Add(await _chain.Oracle.FreeFloatFactorAsync(token, at, cancellationToken).ConfigureAwait(false));
        }

        var lastRound = await _chain.Oracle.LastRoundAsync(at, cancellationToken).ConfigureAwait(false);
        var tokens = _chain.Tokens.Select((t, i) => ToStatus(t.Plan.Symbol, t.Address, views[i], reads[i], paused)).ToArray();

        var round = head / parameters.RoundBlocks;
        var accepted = _accepted.Where(kv => kv.Key + 1 >= round).ToDictionary();
        var phase = Phase(head, round, lastRound, accepted.GetValueOrDefault(round), parameters.RoundBlocks, paused, _abandoned.GetValueOrDefault(round));
        var healthy = await AggregatorHealthyAsync(cancellationToken).ConfigureAwait(false);
        var processes = _processes().Select(p => new ProcessStatus(p.Name, p.IsRunning, p.IsRunning ? "up" : $"exited {p.ExitCode}")).ToArray();
        return new NetworkSnapshot(head, headTime, round, phase, lastRound, paused, accepted, healthy, tokens, [.. _commits],
            [.. _abandoned.Select(kv => new AbandonedRound(kv.Key, kv.Value))], processes, [.. _events])
        {
            PolicySkips = new SortedDictionary<ulong, IReadOnlyList<string>>(_policySkips),
            Governance = [.. _governance],
        };
    }

    /// <inheritdoc />
    public void Dispose() => _reading.Dispose();

    /// <summary>
    /// What the network is doing for the head's round (docs/protocol.md sections 3 to 6): a global pause first (every commit
    /// reverts, whatever the reporters do), then a round the aggregator abandoned (with its reason), else its progress.
    /// </summary>
    public static string Phase(ulong head, ulong round, ulong lastRound, int acceptedBatches, ulong roundBlocks, bool paused, string? abandoned)
    {
        if (paused)
        {
            return $"oracle paused by the guardian: every commit reverts and every token reads frozen (round {round} cannot commit until unpaused)";
        }

        if (round == 0)
        {
            return "waiting for the first reference block";
        }

        if (lastRound >= round)
        {
            return $"round {round} committed";
        }

        if (abandoned is not null)
        {
            return $"round {round} abandoned: {abandoned}";
        }

        var confirmationsLeft = round * roundBlocks + 2 > head ? round * roundBlocks + 2 - head : 0;
        return confirmationsLeft > 0
            ? $"round {round}: reference block {round * roundBlocks} mined, {confirmationsLeft} confirmation(s) to go"
            : $"round {round}: observing and aggregating ({acceptedBatches} batch(es) accepted)";
    }

    /// <summary>
    /// A token's line: the committed figures from <c>tokenStates</c>, the frozen and stale flags from
    /// <c>freeFloatFactor</c> at the same block (section 9), paused when the guardian paused it or the oracle.
    /// </summary>
    public static TokenStatus ToStatus(string symbol, Address address, SupplyOracleContract.TokenView view, SupplyOracleContract.FreeFloatFactorResult read,
        bool globalPause) =>
        new(symbol, address, (int)view.Decimals, view.Initialized, view.Factor, view.CommittedCirculating, view.CommittedAt, read.Frozen,
            view.Initialized && read.Stale, view.Paused || globalPause);

    private async Task ScanCommitsAsync(ulong head, CancellationToken cancellationToken)
    {
        if (head <= _scannedTo)
        {
            return;
        }

        var committed = await _chain.Oracle.GetCommittedEventsAsync(_scannedTo + 1, head, cancellationToken).ConfigureAwait(false);
        foreach (var e in committed.Where(e => !e.Log.Removed))
        {
            var receipt = await _chain.Client.GetTransactionReceiptAsync(e.Log.TransactionHash, cancellationToken).ConfigureAwait(false);
            _commits.Add(new CommitRecord(e.Round, e.ReferenceTime, e.Log.BlockNumber, e.Log.TransactionHash, receipt?.GasUsed ?? 0,
                (int)e.Committed, (int)e.Frozen, (int)e.Rejected));
        }

        _scannedTo = head;
    }

    // Every governance event of the oracle and the registry since genesis, whoever sent it (the devnet's own steps, the
    // CLI run by hand against the devnet, a test): read from the contracts' logs, not from the devnet's notes.
    private async Task ScanGovernanceAsync(ulong head, CancellationToken cancellationToken)
    {
        var from = _governanceScanned ? _governanceScannedTo + 1 : 0;
        if (from > head)
        {
            return;
        }

        var symbols = _chain.Tokens.ToDictionary(t => t.Address, t => t.Plan.Symbol);
        _governance.AddRange(await GovernanceEvents.ReadAsync(_chain.Client, _chain.Oracle.Address, _chain.Registry.Address, from, head,
            a => symbols.TryGetValue(a, out var symbol) ? symbol : View.Format.Short(a.ToString()), cancellationToken).ConfigureAwait(false));
        (_governanceScannedTo, _governanceScanned) = (head, true);
    }

    // Accepted batches per round, counted in the aggregator's Marten event table (schema "eventstore", Marten's mt_events
    // layout: stream_id, type). Recounted at every read rather than followed by sequence number: a devnet log is small, and a
    // count never misses an event committed out of sequence order (REFERENCES.md event store rule 3).
    private async Task ReadAggregatorLogAsync(CancellationToken cancellationToken)
    {
        try
        {
            var command = _aggregatorDatabase.CreateCommand("""
                SELECT substr(stream_id, 7), count(*) FROM eventstore.mt_events
                 WHERE type = $1 AND stream_id LIKE 'round-%' GROUP BY stream_id
                """);
            await using var commandScope = command.ConfigureAwait(false);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ObservationAccepted });
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var readerScope = reader.ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (ulong.TryParse(reader.GetString(0), NumberStyles.None, CultureInfo.InvariantCulture, out var round))
                {
                    _accepted[round] = (int)reader.GetInt64(1);
                }
            }

            // The abandoned rounds' reasons, the last 20 (shown in the view with the round).
            var abandoned = _aggregatorDatabase.CreateCommand("""
                SELECT substr(stream_id, 7), data->>'reason' FROM eventstore.mt_events
                 WHERE type = $1 AND stream_id LIKE 'round-%' ORDER BY seq_id DESC LIMIT 20
                """);
            await using var abandonedScope = abandoned.ConfigureAwait(false);
            abandoned.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RoundAbandoned });
            var reasons = await abandoned.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var reasonsScope = reasons.ConfigureAwait(false);
            while (await reasons.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (ulong.TryParse(reasons.GetString(0), NumberStyles.None, CultureInfo.InvariantCulture, out var round))
                {
                    _abandoned[round] = reasons.IsDBNull(1) ? "" : reasons.GetString(1);
                }
            }

            while (_abandoned.Count > 20)
            {
                _abandoned.Remove(_abandoned.Keys.First());
            }

            // The closed rounds' outcomes (the event body as Marten stored it), for the commit policy's skips.
            var closed = _aggregatorDatabase.CreateCommand("SELECT data::text FROM eventstore.mt_events WHERE type = $1 AND stream_id LIKE 'round-%'");
            await using var closedScope = closed.ConfigureAwait(false);
            closed.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RoundClosed });
            var bodies = await closed.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var bodiesScope = bodies.ConfigureAwait(false);
            while (await bodies.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                NotePolicySkips(bodies.GetString(0));
            }
        }
        catch (NpgsqlException)
        {
            // The aggregator has not created its schema yet (or is restarting): nothing to count this time.
        }
    }

    // docs/protocol.md section 5 step 12: the tokens the commit policy left out of a round (Unchanged, StillFrozen), by symbol.
    private void NotePolicySkips(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("round", out var roundElement) || !root.TryGetProperty("outcomes", out var outcomes))
        {
            return;
        }

        var skipped = new List<string>();
        foreach (var outcome in outcomes.EnumerateArray())
        {
            var parts = (outcome.GetString() ?? "").Split(':');
            if (parts.Length == 3 && parts[2] is "Unchanged" or "StillFrozen")
            {
                var token = _chain.Tokens.FirstOrDefault(t => string.Equals(t.Address.ToString(), parts[0], StringComparison.OrdinalIgnoreCase));
                skipped.Add($"{token?.Plan.Symbol ?? parts[0]} {parts[2]}");
            }
        }

        if (skipped.Count > 0)
        {
            _policySkips[roundElement.GetUInt64()] = skipped;
        }
    }

    private async Task<bool> AggregatorHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var response = await _http.GetAsync(_aggregatorHealth, timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
