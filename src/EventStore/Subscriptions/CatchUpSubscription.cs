using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Npgsql;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Internal;
using SupplyOracle.EventStore.Internal.Schema;
using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Subscriptions;

/// <summary>
/// Drives an async <see cref="IProjection"/> from the global log: replay from its checkpoint, then live. Each batch is
/// one transaction that locks the checkpoint row, reads <c>position &gt; checkpoint</c> (safe: the log is gap-free in
/// commit order), applies the projection and moves the checkpoint, so the checkpoint can never run ahead of the
/// projection's writes (REFERENCES.md rule 5), and two replicas running the same subscription never apply a batch twice.
/// LISTEN/NOTIFY only wakes the poller early; a lost LISTEN connection just means polling at <see cref="SubscriptionOptions.PollInterval"/>.
/// </summary>
public sealed partial class CatchUpSubscription
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly IProjection _projection;
    private readonly SubscriptionOptions _options;
    private readonly SchemaNames _names;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly string _peekSql;
    private readonly string _lockCheckpointSql;
    private readonly string _readSql;
    private readonly string _saveCheckpointSql;
    private long _checkpoint = -1;
    private long _head = -1;

    /// <summary>Creates the subscription (nothing runs until <see cref="RunAsync"/>).</summary>
    public CatchUpSubscription(NpgsqlDataSource dataSource, IProjection projection, SubscriptionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(projection);
        _options = options ?? new SubscriptionOptions();
        _options.Validate();
        if (string.IsNullOrWhiteSpace(projection.Name))
        {
            throw new ArgumentException("A projection needs a non-empty Name (its checkpoint key).", nameof(projection));
        }

        _dataSource = dataSource;
        _projection = projection;
        _names = new SchemaNames(_options.Schema);
        _logger = _options.LoggerFactory.CreateLogger<CatchUpSubscription>();
        _peekSql = _names.Sql("SELECT coalesce((SELECT position FROM {s}.checkpoints WHERE name = $1), 0), (SELECT pos FROM {s}.log_head)");
        _lockCheckpointSql = _names.Sql("""
            INSERT INTO {s}.checkpoints AS c (name, position) VALUES ($1, 0)
            ON CONFLICT (name) DO UPDATE SET position = c.position
            RETURNING c.position, (SELECT pos FROM {s}.log_head)
            """);
        _readSql = _names.Sql($"SELECT {PgEventStore.Columns} FROM {{s}}.events WHERE position > $1 ORDER BY position LIMIT $2");
        _saveCheckpointSql = _names.Sql("UPDATE {s}.checkpoints SET position = $2 WHERE name = $1");
    }

    /// <summary>The last checkpoint this instance committed or read (-1 before the first batch).</summary>
    public long Checkpoint => Volatile.Read(ref _checkpoint);

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled: transient failures (connection lost, server
    /// restarting) are logged and retried after <see cref="SubscriptionOptions.RetryDelay"/>; anything else (a projection
    /// bug) ends the run with that exception.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var lag = EventStoreTelemetry.RegisterLag(MeasureLag);
        using var stopListening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listener = ListenAsync(stopListening.Token);
        try
        {
            var caughtUp = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                int applied;
                try
                {
                    applied = await ProcessBatchAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (EventStoreException e) when (e.IsTransient && !cancellationToken.IsCancellationRequested)
                {
                    Log.SubscriptionTransientFailure(_logger, _projection.Name, _options.RetryDelay, e);
                    await Task.Delay(_options.RetryDelay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (applied < _options.BatchSize)
                {
                    if (!caughtUp)
                    {
                        caughtUp = true;
                        Log.CaughtUp(_logger, _projection.Name, Checkpoint);
                    }

                    if (applied == 0)
                    {
                        await WaitForWakeAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller.
        }
        finally
        {
            await stopListening.CancelAsync().ConfigureAwait(false);
            await listener.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies at most one batch in one transaction; returns how many events it applied (0: caught up). Public for
    /// callers that drive the projection themselves (and for tests).
    /// </summary>
    public async Task<int> ProcessBatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await IsCaughtUpAsync(cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);

            long checkpoint;
            using (var command = new NpgsqlCommand(_lockCheckpointSql, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _projection.Name });
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                checkpoint = reader.GetInt64(0);
                Volatile.Write(ref _head, reader.GetInt64(1));
            }

            var batch = new List<RecordedEvent>();
            using (var command = new NpgsqlCommand(_readSql, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checkpoint });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _options.BatchSize });
                await foreach (var e in PgEventStore.ReadEventsAsync(command, "subscription read", cancellationToken).ConfigureAwait(false))
                {
                    batch.Add(e);
                }
            }

            if (batch.Count == 0)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _checkpoint, checkpoint);
                return 0;
            }

            await _projection.ApplyAsync(new ProjectionContext(transaction), batch, cancellationToken).ConfigureAwait(false);
            using (var command = new NpgsqlCommand(_saveCheckpointSql, connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _projection.Name });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = batch[^1].Position });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _checkpoint, batch[^1].Position);
            return batch.Count;
        }
        catch (NpgsqlException e)
        {
            throw ErrorMapper.Unavailable("subscription " + _projection.Name, e);
        }
    }

    /// <summary>The idle path: one read-only statement, no lock and no write when there is nothing to apply.</summary>
    private async Task<bool> IsCaughtUpAsync(CancellationToken cancellationToken)
    {
        using var command = _dataSource.CreateCommand(_peekSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _projection.Name });
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var checkpoint = reader.GetInt64(0);
        var head = reader.GetInt64(1);
        Volatile.Write(ref _head, head);
        if (checkpoint < head)
        {
            return false;
        }

        Volatile.Write(ref _checkpoint, checkpoint);
        return true;
    }

    private Measurement<long> MeasureLag()
    {
        var head = Volatile.Read(ref _head);
        var checkpoint = Volatile.Read(ref _checkpoint);
        return new Measurement<long>(head < 0 || checkpoint < 0 ? 0 : Math.Max(0, head - checkpoint),
            new KeyValuePair<string, object?>("projection", _projection.Name));
    }
}
