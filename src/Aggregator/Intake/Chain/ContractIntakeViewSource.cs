using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Aggregator.Intake.Chain;

/// <summary>
/// Reads the <see cref="IntakeView"/> from the SupplyOracle contract (<c>params()</c>, <c>reporters()</c>,
/// <c>lastRound()</c> in one JSON-RPC batch at one block) and keeps it for <c>refreshInterval</c>, so a reporter added or
/// removed on chain, or a round committed by another aggregator, is seen within that time.
/// </summary>
public sealed class ContractIntakeViewSource : IIntakeViewSource
{
    private readonly SupplyOracleContract _oracle;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshInterval;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IntakeView? _view;
    private long _readAt;

    /// <summary>Creates the source.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="refreshInterval"/> is not positive.</exception>
    public ContractIntakeViewSource(SupplyOracleContract oracle, TimeProvider time, TimeSpan refreshInterval)
    {
        ArgumentNullException.ThrowIfNull(oracle);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refreshInterval, TimeSpan.Zero);
        _oracle = oracle;
        _time = time;
        _refreshInterval = refreshInterval;
    }

    /// <inheritdoc />
    public async ValueTask<IntakeView> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _view) is { } fresh && _time.GetElapsedTime(Volatile.Read(ref _readAt)) < _refreshInterval)
        {
            return fresh;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_view is { } view && _time.GetElapsedTime(_readAt) < _refreshInterval)
            {
                return view;
            }

            var results = await _oracle.Client.CallBatchAsync([_oracle.ParamsCall(), _oracle.ReportersCall(), _oracle.LastRoundCall()], BlockId.Latest, cancellationToken)
                .ConfigureAwait(false);
            var parameters = SupplyOracleContract.DecodeParams(results[0].GetOrThrow());
            var reporters = SupplyOracleContract.DecodeReporters(results[1].GetOrThrow());
            var lastRound = SupplyOracleContract.DecodeLastRound(results[2].GetOrThrow());
            var next = new IntakeView(parameters.RoundBlocks, parameters.MaxReportAgeBlocks, lastRound, reporters);
            Volatile.Write(ref _readAt, _time.GetTimestamp());
            Volatile.Write(ref _view, next);
            return next;
        }
        finally
        {
            _gate.Release();
        }
    }
}
