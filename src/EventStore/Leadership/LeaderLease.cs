using Microsoft.Extensions.Logging;
using Npgsql;
using SupplyOracle.EventStore.Internal;

namespace SupplyOracle.EventStore.Leadership;

/// <summary>
/// A held leadership: the connection holding the advisory lock and a heartbeat that proves, every
/// <see cref="LeaderElectionOptions.HeartbeatInterval"/>, that this backend still holds it (<c>pg_locks</c>).
/// <see cref="Lost"/> is cancelled when the connection breaks or the lock is gone. Dispose to step down.
/// </summary>
public sealed class LeaderLease : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _heartbeat;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private int _disposed;

    internal LeaderLease(NpgsqlConnection connection, string name, int backendProcessId, LeaderElectionOptions options, ILogger logger)
    {
        _connection = connection;
        _name = name;
        _logger = logger;
        _interval = options.HeartbeatInterval;
        _time = options.TimeProvider;
        BackendProcessId = backendProcessId;
        _heartbeat = HeartbeatAsync();
    }

    /// <summary>Cancelled once leadership is lost (the connection broke, or the lock is no longer held).</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>True until leadership is lost or given up.</summary>
    public bool IsHeld => !_lost.IsCancellationRequested;

    /// <summary>The PostgreSQL backend holding the lock (for diagnostics and tests).</summary>
    internal int BackendProcessId { get; }

    /// <summary>Steps down: stops the heartbeat, releases the lock and closes the connection (idempotent).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(false);
        var released = false;
        if (IsHeld)
        {
            try
            {
                using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended('supplyoracle.leader.' || $1, 0))", _connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _name });
                released = await command.ExecuteScalarAsync().ConfigureAwait(false) is true;
            }
            catch (NpgsqlException)
            {
                // Handled below.
            }
        }

        if (!released)
        {
            // Never hand a connection that may still hold the lock back to the pool: it would keep leading while idle.
            NpgsqlConnection.ClearPool(_connection);
        }

        await _lost.CancelAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _lost.Dispose();
        _stop.Dispose();
    }

    private async Task HeartbeatAsync()
    {
        // A command timeout bounds how long a silent network partition can hide the loss.
        var timeoutSeconds = (int)Math.Clamp(Math.Ceiling(_interval.TotalSeconds * 2), 1, 60);
        Exception? failure = null;
        try
        {
            while (true)
            {
                await Task.Delay(_interval, _time, _stop.Token).ConfigureAwait(false);
                using var command = new NpgsqlCommand("""
                    SELECT EXISTS (SELECT 1 FROM pg_locks
                                    WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
                                      AND ((classid::bigint << 32) | objid::bigint) = hashtextextended('supplyoracle.leader.' || $1, 0))
                    """, _connection) { CommandTimeout = timeoutSeconds };
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _name });
                if (await command.ExecuteScalarAsync(_stop.Token).ConfigureAwait(false) is not true)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            failure = e;
        }

        Log.LeadershipLost(_logger, _name, failure);
        await _lost.CancelAsync().ConfigureAwait(false);
    }
}
