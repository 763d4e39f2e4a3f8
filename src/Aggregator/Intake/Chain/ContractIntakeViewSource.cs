using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Aggregator.Intake.Chain;

/// <summary>
/// Reads the <see cref="IntakeView"/> from the oracle through the protocol layer's <see cref="OracleStateReader"/> (one
/// snapshot at the head block: parameters, reporters, lastRound) and keeps it for <c>refreshInterval</c>, so a reporter
/// added or removed on chain, or a round committed by another aggregator, is seen within that time.
/// </summary>
public sealed class ContractIntakeViewSource : IIntakeViewSource
{
    private readonly EthereumRpcClient _client;
    private readonly OracleStateReader _reader;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Reading? _reading;

    /// <summary>Creates the source.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="refreshInterval"/> is not positive.</exception>
    public ContractIntakeViewSource(EthereumRpcClient client, OracleStateReader reader, TimeProvider time, TimeSpan refreshInterval)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refreshInterval, TimeSpan.Zero);
        _client = client;
        _reader = reader;
        _time = time;
        _refreshInterval = refreshInterval;
    }

    /// <inheritdoc />
    /// <exception cref="OracleStateException">The oracle could not be read.</exception>
    public async ValueTask<IntakeView> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _reading) is { } fresh && _time.GetElapsedTime(fresh.ReadAt) < _refreshInterval)
        {
            return fresh.View;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_reading is { } reading && _time.GetElapsedTime(reading.ReadAt) < _refreshInterval)
            {
                return reading.View;
            }

            var head = await _client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
            var snapshot = await _reader.ReadAsync(head, cancellationToken).ConfigureAwait(false);
            var view = new IntakeView(snapshot.ContractParameters.RoundBlocks, snapshot.ContractParameters.MaxReportAgeBlocks, snapshot.LastRound, snapshot.Reporters);
            Volatile.Write(ref _reading, new Reading(view, _time.GetTimestamp()));
            return view;
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record Reading(IntakeView View, long ReadAt);
}
