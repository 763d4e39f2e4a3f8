using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Aggregator.Intake.Chain;

/// <summary>
/// Reads the <see cref="IntakeView"/> from the oracle through the protocol layer's <see cref="OracleStateReader"/> (one
/// snapshot at the head block: parameters, reporters, lastRound). Given the oracle's address it also watches the
/// oracle's logs: at most every <c>logPollInterval</c> one <c>eth_getLogs</c> from the block after the last one seen
/// to the head, for <c>ReporterAdded</c>, <c>ReporterRemoved</c>, <c>ParamsSet</c> and <c>Committed</c>; any such log
/// reads the snapshot again, so a reporter added on chain is accepted within one poll. The snapshot is read again after
/// <c>refreshInterval</c> in any case (the fallback, e.g. when a reorganisation removed a log already acted on).
/// </summary>
public sealed class ContractIntakeViewSource : IIntakeViewSource
{
    private readonly EthereumRpcClient _client;
    private readonly OracleStateReader _reader;
    private readonly Address? _oracle;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _logPollInterval;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Reading? _reading;

    /// <summary>Creates a source that re-reads the oracle every <paramref name="refreshInterval"/> only (no log watching).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="refreshInterval"/> is not positive.</exception>
    public ContractIntakeViewSource(EthereumRpcClient client, OracleStateReader reader, TimeProvider time, TimeSpan refreshInterval)
        : this(client, reader, null, time, refreshInterval, refreshInterval)
    {
    }

    /// <summary>Creates a source that also re-reads the oracle when its logs show a change of reporters, parameters or lastRound.</summary>
    /// <param name="client">The JSON-RPC client.</param>
    /// <param name="reader">The oracle state reader.</param>
    /// <param name="oracle">The SupplyOracle address whose logs are watched.</param>
    /// <param name="time">The clock.</param>
    /// <param name="refreshInterval">The fallback: the snapshot is re-read at least this often.</param>
    /// <param name="logPollInterval">How often the logs are polled (<see cref="TimeSpan.Zero"/>: on every call).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="refreshInterval"/> is not positive, or <paramref name="logPollInterval"/> is negative.</exception>
    public ContractIntakeViewSource(EthereumRpcClient client, OracleStateReader reader, Address? oracle, TimeProvider time, TimeSpan refreshInterval,
        TimeSpan logPollInterval)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refreshInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(logPollInterval, TimeSpan.Zero);
        _client = client;
        _reader = reader;
        _oracle = oracle;
        _time = time;
        _refreshInterval = refreshInterval;
        _logPollInterval = logPollInterval;
    }

    private static IReadOnlyList<IReadOnlyList<Hash32>?> Topics { get; } =
    [
        [SupplyOracleContract.ReporterAddedEvent.Topic, SupplyOracleContract.ReporterRemovedEvent.Topic, SupplyOracleContract.ParamsSetEvent.Topic,
            SupplyOracleContract.CommittedEvent.Topic],
    ];

    /// <inheritdoc />
    /// <exception cref="OracleStateException">The oracle could not be read.</exception>
    public async ValueTask<IntakeView> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _reading) is { } fresh && IsFresh(fresh))
        {
            return fresh.View;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_reading is { } reading && IsFresh(reading))
            {
                return reading.View;
            }

            var head = await _client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
            if (_reading is { } current && _oracle is { } oracle && _time.GetElapsedTime(current.ReadAt) < _refreshInterval)
            {
                // Only the log poll is due. Topics in one position are alternatives (eth_getLogs, execution API).
                var changed = head > current.Block && (await _client.GetLogsAsync(new LogFilter(current.Block + 1, head, [oracle], Topics),
                    cancellationToken: cancellationToken).ConfigureAwait(false)).Count > 0;
                if (!changed)
                {
                    var polled = current with { Block = Math.Max(current.Block, head), PolledAt = _time.GetTimestamp() };
                    Volatile.Write(ref _reading, polled);
                    return polled.View;
                }
            }

            var snapshot = await _reader.ReadAsync(head, cancellationToken).ConfigureAwait(false);
            var view = new IntakeView(snapshot.ContractParameters.RoundBlocks, snapshot.ContractParameters.MaxReportAgeBlocks, snapshot.LastRound, snapshot.Reporters);
            var now = _time.GetTimestamp();
            Volatile.Write(ref _reading, new Reading(view, head, now, now));
            return view;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsFresh(Reading reading) =>
        _time.GetElapsedTime(reading.ReadAt) < _refreshInterval && (_oracle is null || _time.GetElapsedTime(reading.PolledAt) < _logPollInterval);

    /// <summary>A view read at <paramref name="Block"/> (logs seen up to it) at <paramref name="ReadAt"/>; logs last polled at <paramref name="PolledAt"/>.</summary>
    private sealed record Reading(IntakeView View, ulong Block, long ReadAt, long PolledAt);
}
