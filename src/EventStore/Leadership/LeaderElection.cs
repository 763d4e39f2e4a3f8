using Microsoft.Extensions.Logging;
using Npgsql;
using SupplyOracle.EventStore.Internal;

namespace SupplyOracle.EventStore.Leadership;

/// <summary>
/// Elects one leader among replicas for work that must run once (for example the transmitter, docs/architecture.md
/// "Deployment shapes"): a session-level advisory lock (<c>pg_try_advisory_lock</c>) held on a dedicated connection
/// (REFERENCES.md rule 7; needs a direct connection or session pooling, never PgBouncer transaction pooling). The lock is
/// released by PostgreSQL when that connection ends, so the leader watches the connection and its lock with a heartbeat
/// and cancels <see cref="LeaderLease.Lost"/> as soon as either is gone. Between the loss and its detection (at most one
/// heartbeat plus the command timeout) another replica may already lead: work must also be safe to repeat (the
/// contract takes the first valid commit of a round, docs/protocol.md section 1).
/// </summary>
public sealed class LeaderElection
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates an election for the lock named <paramref name="name"/> (replicas doing the same work use the same name).</summary>
    public LeaderElection(NpgsqlDataSource dataSource, string name, LeaderElectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _options = options ?? new LeaderElectionOptions();
        _options.Validate();
        if (new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Multiplexing)
        {
            throw new ArgumentException("Leader election holds a session advisory lock on one connection: the data source must not use Multiplexing.", nameof(dataSource));
        }

        _dataSource = dataSource;
        Name = name;
        _logger = _options.LoggerFactory.CreateLogger<LeaderElection>();
    }

    /// <summary>The lock's name; its 64-bit key is <c>hashtextextended('supplyoracle.leader.' || name, 0)</c>.</summary>
    public string Name { get; }

    /// <summary>Waits until this replica holds the lock. Dispose the result to step down.</summary>
    public async Task<LeaderLease> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NpgsqlConnection? connection = null;
            try
            {
                connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                using var command = new NpgsqlCommand(
                    "SELECT pg_try_advisory_lock(hashtextextended('supplyoracle.leader.' || $1, 0)), pg_backend_pid()", connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name });
                bool acquired;
                int pid;
                using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    acquired = reader.GetBoolean(0);
                    pid = reader.GetInt32(1);
                }

                if (acquired)
                {
                    Log.LeadershipAcquired(_logger, Name, pid);
                    var leadership = new LeaderLease(connection, Name, pid, _options, _logger);
                    connection = null; // owned by the leadership now
                    return leadership;
                }
            }
            catch (NpgsqlException e)
            {
                Log.LeadershipAttemptFailed(_logger, Name, e);
            }
            finally
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }

            await Task.Delay(_options.RetryInterval, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> whenever this replica leads, until <paramref name="cancellationToken"/> is cancelled:
    /// the work's token is cancelled when leadership is lost, after which the replica tries for the lock again.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        while (!cancellationToken.IsCancellationRequested)
        {
            LeaderLease leadership;
            try
            {
                leadership = await AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await using (leadership.ConfigureAwait(false))
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leadership.Lost);
                try
                {
                    await work(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (linked.IsCancellationRequested)
                {
                    // Leadership lost or stopping: try again or return.
                }
            }
        }
    }
}
