using Npgsql;
using SupplyOracle.EventStore.Internal;
using SupplyOracle.EventStore.Internal.Schema;

namespace SupplyOracle.EventStore;

/// <summary>Entry point: creates the schema and the event store on a PostgreSQL data source (Npgsql).</summary>
public static class PostgresEventStore
{
    /// <summary>
    /// Creates or upgrades the store's schema (idempotent, safe to run from every replica at once: migrations run under a
    /// transaction-scoped advisory lock). Returns the schema version reached.
    /// </summary>
    /// <exception cref="Errors.SchemaVersionException">The database is newer than this code.</exception>
    public static Task<int> MigrateAsync(NpgsqlDataSource dataSource, EventStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        return new SchemaMigrator(dataSource, new SchemaNames(options.Schema), options.LoggerFactory.CreateLogger(typeof(PostgresEventStore).FullName!))
            .MigrateAsync(null, cancellationToken);
    }

    /// <summary>Creates the store (the schema must have been migrated with <see cref="MigrateAsync"/>).</summary>
    public static IEventStore Create(NpgsqlDataSource dataSource, EventStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        return new PgEventStore(dataSource, options);
    }
}
