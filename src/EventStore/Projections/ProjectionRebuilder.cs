using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyOracle.EventStore.Internal;
using SupplyOracle.EventStore.Internal.Schema;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Projections;

/// <summary>
/// Rebuilds a projection (reset and replay) in one transaction and checks that the rebuilt state equals the live one:
/// the live position is pinned by locking what moves it (the checkpoint row, or the log head for an inline projection),
/// the live tables are digested, emptied, replayed from position 1 to that position, and digested again.
/// </summary>
public sealed class ProjectionRebuilder
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SchemaNames _names;
    private readonly int _batchSize;
    private readonly ILogger _logger;

    /// <summary>Creates a rebuilder for the store in <paramref name="schema"/>, replaying <paramref name="batchSize"/> events at a time.</summary>
    public ProjectionRebuilder(NpgsqlDataSource dataSource, string schema = "eventstore", int batchSize = 5_000, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _dataSource = dataSource;
        _names = new SchemaNames(schema);
        _batchSize = batchSize;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ProjectionRebuilder>();
    }

    /// <summary>Rebuilds <paramref name="projection"/> and compares; see <see cref="ProjectionRebuildResult.Matches"/>.</summary>
    public async Task<ProjectionRebuildResult> RebuildAsync(IProjection projection, ProjectionMode mode, RebuildCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projection);
        var tables = projection.Tables.Select(SchemaNames.QuoteTable).ToList();
        if (tables.Count == 0)
        {
            throw new ArgumentException($"Projection '{projection.Name}' declares no tables: nothing to rebuild or compare.", nameof(projection));
        }

        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);

            var lockSql = mode == ProjectionMode.Inline
                ? _names.Sql("SELECT pos FROM {s}.log_head FOR UPDATE")
                : _names.Sql("SELECT coalesce((SELECT position FROM {s}.checkpoints WHERE name = $1 FOR UPDATE), 0)");
            long position;
            using (var command = new NpgsqlCommand(lockSql, connection, transaction))
            {
                if (mode != ProjectionMode.Inline)
                {
                    command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = projection.Name });
                }

                position = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            var live = await DigestAsync(connection, transaction, tables, cancellationToken).ConfigureAwait(false);
            using (var command = new NpgsqlCommand($"TRUNCATE {string.Join(", ", tables)}", connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var replayed = await ReplayAsync(projection, transaction, position, cancellationToken).ConfigureAwait(false);
            var rebuilt = await DigestAsync(connection, transaction, tables, cancellationToken).ConfigureAwait(false);
            var result = new ProjectionRebuildResult(projection.Name, position, replayed, live, rebuilt);
            if (commit == RebuildCommit.KeepRebuilt)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            }

            Log.Rebuilt(_logger, projection.Name, position, replayed, result.Matches ? "matches live" : "DIFFERS from live");
            return result;
        }
        catch (NpgsqlException e)
        {
            throw ErrorMapper.Unavailable("rebuild " + projection.Name, e);
        }
    }

    private async Task<long> ReplayAsync(IProjection projection, NpgsqlTransaction transaction, long upTo, CancellationToken cancellationToken)
    {
        var sql = _names.Sql($"SELECT {PgEventStore.Columns} FROM {{s}}.events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3");
        var context = new ProjectionContext(transaction);
        long after = 0, replayed = 0;
        while (after < upTo)
        {
            var batch = new List<RecordedEvent>(Math.Min(_batchSize, 10_000));
            using (var command = new NpgsqlCommand(sql, transaction.Connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = upTo });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _batchSize });
                await foreach (var e in PgEventStore.ReadEventsAsync(command, "rebuild read", cancellationToken).ConfigureAwait(false))
                {
                    batch.Add(e);
                }
            }

            if (batch.Count == 0)
            {
                break;
            }

            await projection.ApplyAsync(context, batch, cancellationToken).ConfigureAwait(false);
            after = batch[^1].Position;
            replayed += batch.Count;
        }

        return replayed;
    }

    /// <summary>Per table: row count and the MD5 of its rows' text forms in sorted order (order-independent, exact).</summary>
    private static async Task<string> DigestAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<string> tables, CancellationToken cancellationToken)
    {
        var digest = new StringBuilder();
        foreach (var table in tables)
        {
            using var command = new NpgsqlCommand(
                $"SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM {table} t", connection, transaction);
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            digest.Append(CultureInfo.InvariantCulture, $"{table}:{reader.GetInt64(0)}:{reader.GetString(1)};");
        }

        return digest.ToString();
    }
}
