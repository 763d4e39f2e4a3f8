using Npgsql;
using SupplyOracle.Aggregator.Projections;

namespace SupplyOracle.Aggregator.EventSourcing;

/// <summary>
/// The previous release's query read model: hand-written SQL tables in <c>Aggregator:Query:Schema</c> (marked by its
/// <c>schema_version</c> table) fed by the Marten projection <c>aggregator-query</c>. This release keeps the read model
/// as Marten documents (<see cref="QueryProjection"/>), all of it derived from the events, so the upgrade is done at
/// start: <see cref="MigrateAsync"/> drops the old tables and the old projection's checkpoint, and the daemon builds
/// the documents from the first event (as a rebuild does). The events themselves are untouched.
/// </summary>
public static class LegacyQueryTables
{
    /// <summary>The previous release's tables, dropped by the upgrade.</summary>
    internal static readonly string[] Tables =
    [
        "rounds", "round_timeline", "round_observations", "round_figures", "round_updates", "round_equivocators", "round_attesters",
        "tokens", "token_history", "reporters", "reporter_rejections", "ignored_events", "schema_version",
    ];

    /// <summary>
    /// Drops the previous release's query tables and its projection's checkpoint, when <paramref name="query"/> holds
    /// them (one transaction under an advisory lock: replicas starting together migrate once). Returns true when it did.
    /// Run the upgrade with every replica of the previous release stopped: a replica still running it would find its
    /// tables gone and stop its projection.
    /// </summary>
    public static async Task<bool> MigrateAsync(NpgsqlDataSource dataSource, string eventStoreSchema, QuerySchema query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrEmpty(eventStoreSchema);
        ArgumentNullException.ThrowIfNull(query);
        if (!QuerySchema.IsIdentifier(eventStoreSchema))
        {
            throw new ArgumentException($"The event store schema is a plain lower-case identifier; got '{eventStoreSchema}'.", nameof(eventStoreSchema));
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "supplyoracle-query-schema:" + query.Name });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using (var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = query.Name + ".schema_version" });
            if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return false;
            }
        }

        var drop = string.Join(", ", Tables.Select(t => $"{query.Name}.{t}"));
        // The old projection's name (its progression row is "name:All"): "aggregator-query", or with the schema's suffix.
        var oldName = query.Name == QuerySchema.DefaultName ? "aggregator-query" : "aggregator-query-" + query.Name.Replace('_', '-');
        using (var command = new NpgsqlCommand($"""
            DROP TABLE IF EXISTS {drop};
            DO $$ BEGIN
              IF to_regclass('{eventStoreSchema}.mt_event_progression') IS NOT NULL THEN
                DELETE FROM {eventStoreSchema}.mt_event_progression WHERE name = '{oldName}:All';
              END IF;
            END $$;
            """, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
