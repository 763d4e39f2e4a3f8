using Microsoft.Extensions.Logging;
using Npgsql;
using SupplyOracle.EventStore.Errors;

namespace SupplyOracle.EventStore.Internal.Schema;

/// <summary>
/// Applies <see cref="Migrations"/> in one transaction under a transaction-scoped advisory lock, so any number of
/// replicas may call it at start-up at once: the first applies what is missing, the others then find nothing to do.
/// </summary>
internal sealed class SchemaMigrator(NpgsqlDataSource dataSource, SchemaNames names, ILogger logger)
{
    /// <summary>Brings the schema to <paramref name="targetVersion"/> (default: the latest); returns the version reached.</summary>
    public async Task<int> MigrateAsync(int? targetVersion, CancellationToken cancellationToken)
    {
        var target = targetVersion ?? Migrations.Latest;
        if (target < 1 || target > Migrations.Latest)
        {
            throw new ArgumentOutOfRangeException(nameof(targetVersion), target, $"Migration versions run from 1 to {Migrations.Latest}.");
        }

        try
        {
            var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var connectionScope = connection.ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var transactionScope = transaction.ConfigureAwait(false);
            var command = new NpgsqlCommand(
                "SELECT pg_advisory_xact_lock(hashtextextended('supplyoracle.eventstore.migrate.' || $1, 0))", connection, transaction);
            await using (command.ConfigureAwait(false))
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = names.Schema });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var create = new NpgsqlCommand(names.Sql("""
                CREATE SCHEMA IF NOT EXISTS {s};
                CREATE TABLE IF NOT EXISTS {s}.schema_migrations (
                    version     int         PRIMARY KEY,
                    description text        NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now());
                """), connection, transaction);
            await using (create.ConfigureAwait(false))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int current;
            var query = new NpgsqlCommand(names.Sql("SELECT coalesce(max(version), 0) FROM {s}.schema_migrations"), connection, transaction);
            await using (query.ConfigureAwait(false))
            {
                current = (int)(await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            }

            if (current > Migrations.Latest)
            {
                throw new SchemaVersionException(names.Schema, current, Migrations.Latest);
            }

            foreach (var migration in Migrations.All.Where(m => m.Version > current && m.Version <= target))
            {
                var ddl = new NpgsqlCommand(names.Sql(migration.Sql), connection, transaction);
                await using (ddl.ConfigureAwait(false))
                {
                    await ddl.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                var record = new NpgsqlCommand(
                    names.Sql("INSERT INTO {s}.schema_migrations (version, description) VALUES ($1, $2)"), connection, transaction);
                await using var recordScope = record.ConfigureAwait(false);
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Description });
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                Log.MigrationApplied(logger, names.Schema, migration.Version, migration.Description);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return Math.Max(current, target);
        }
        catch (NpgsqlException e)
        {
            throw ErrorMapper.Unavailable("migrate", e);
        }
    }
}
