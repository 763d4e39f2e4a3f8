using Npgsql;

namespace SupplyOracle.Aggregator.EventSourcing;

/// <summary>
/// The previous release's event store (src/EventStore, retired for Marten): tables <c>log_head</c>, <c>streams</c>,
/// <c>events</c>, <c>checkpoints</c> in <c>Aggregator:EventStoreSchema</c>. An aggregator started on such a database must
/// not start on an empty Marten log beside it (every accepted batch and decided round would be forgotten):
/// <see cref="CheckAsync"/> stops it with what to do.
/// </summary>
public static class LegacyEventStore
{
    /// <summary>Throws when <paramref name="schema"/> holds the previous release's event tables.</summary>
    /// <exception cref="LegacyEventStoreException">It does.</exception>
    public static async Task CheckAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        var command = dataSource.CreateCommand("""
            SELECT count(*) FROM information_schema.tables
             WHERE table_schema = $1 AND table_name IN ('log_head', 'events', 'checkpoints')
            """);
        await using var commandScope = command.ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        var found = (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (found == 3)
        {
            throw new LegacyEventStoreException(schema);
        }
    }
}

/// <summary>The database holds the previous release's event store (see <see cref="LegacyEventStore"/>).</summary>
public sealed class LegacyEventStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LegacyEventStoreException(string schema)
        : base($"the database holds the previous release's event store (tables {schema}.log_head, {schema}.events, {schema}.checkpoints): "
            + "this release keeps events in Marten's tables and does not read them. Keep running the previous release on this database, "
            + $"or start this release on a new database (Aggregator:Database) or another schema (Aggregator:EventStoreSchema, not '{schema}'); "
            + "see docs/operator-guide.md \"Upgrading to the Marten event store\"")
    {
        Schema = schema;
    }

    /// <summary>The schema holding the old tables.</summary>
    public string Schema { get; }
}
