using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;
using SupplyOracle.Aggregator.Projections;
using Weasel.Core;

namespace SupplyOracle.Aggregator.EventSourcing;

/// <summary>How the aggregator's Marten store is set up.</summary>
/// <param name="Schema">The PostgreSQL schema of Marten's tables (<c>Aggregator:EventStoreSchema</c>).</param>
/// <param name="Query">The query projection's schema.</param>
/// <param name="Daemon">How the async daemon runs: HotCold in the service (replicas share one database), Solo or Disabled in tools.</param>
public sealed record AggregatorStoreOptions(string Schema, QuerySchema Query, DaemonMode Daemon = DaemonMode.HotCold)
{
    /// <summary>The query projection's shard (<c>name:All</c>): its HotCold holder is also the transmitter.</summary>
    public string QueryShard => QueryProjection.NameFor(Query) + ":All";

    /// <summary>A test-only hook: called after every commit (the crash tests kill the process there).</summary>
    internal IDocumentSessionListener? Listener { get; init; }
}

/// <summary>
/// The aggregator's event store: Marten on the aggregator's PostgreSQL database (docs/architecture.md "Event sourcing"), with
/// the event catalogue of <see cref="AggregatorEvents"/>, the <see cref="RoundLedger"/> inline snapshot commands decide
/// on, the <see cref="QueryProjection"/> on Marten's async daemon, and the schema applied at start
/// (<c>ApplyAllDatabaseChangesOnStartup</c>; Marten owns its tables, sequence, high-water mark and checkpoints). Runs in a
/// small generic host because Marten's daemon and its HotCold coordinator are hosted services.
/// </summary>
public sealed class AggregatorEventStore : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _leading;
    private int _disposed;

    private AggregatorEventStore(IHost host, AggregatorStoreOptions options, TimeProvider time)
    {
        _host = host;
        Options = options;
        Store = host.Services.GetRequiredService<IDocumentStore>();
        var coordinator = options.Daemon == DaemonMode.Disabled ? null : host.Services.GetService<IProjectionCoordinator>();
        if (coordinator is not null)
        {
            var leadership = new DaemonLeadership(coordinator, options.QueryShard, time, TimeSpan.FromMilliseconds(250));
            Leadership = leadership;
            _leading = leadership.RunAsync(_stop.Token);
        }
        else
        {
            _leading = Task.CompletedTask;
        }
    }

    /// <summary>The options.</summary>
    public AggregatorStoreOptions Options { get; }

    /// <summary>Marten's document store.</summary>
    public IDocumentStore Store { get; }

    /// <summary>Who transmits: the holder of the query projection's HotCold lock (null when the daemon is disabled).</summary>
    public DaemonLeadership? Leadership { get; }

    /// <summary>
    /// Starts the store on <paramref name="dataSource"/>: refuses a database still holding the pre-Marten event store
    /// (see <see cref="LegacyEventStore"/>), drops the previous release's SQL query tables when present (see
    /// <see cref="LegacyQueryTables"/>: the daemon then builds the query documents from the first event), applies
    /// Marten's schema, and starts the daemon.
    /// </summary>
    /// <exception cref="LegacyEventStoreException">The database holds the previous release's event store, not yet migrated.</exception>
    public static async Task<AggregatorEventStore> StartAsync(NpgsqlDataSource dataSource, AggregatorStoreOptions options, ILoggerFactory loggerFactory,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(time);
        await LegacyEventStore.CheckAsync(dataSource, options.Schema, cancellationToken).ConfigureAwait(false);
        if (await LegacyQueryTables.MigrateAsync(dataSource, options.Schema, options.Query, cancellationToken).ConfigureAwait(false))
        {
            Internal.Log.QueryTablesMigrated(loggerFactory.CreateLogger<AggregatorEventStore>(), options.Query.Name, QueryProjection.NameFor(options.Query));
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "supplyoracle-aggregator" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(time);
        // This host only carries Marten's hosted services: the process's own host handles Ctrl+C / SIGTERM.
        builder.Services.AddSingleton<IHostLifetime, NoLifetime>();
        var marten = builder.Services.AddMarten(o =>
        {
            Configure(o, dataSource, options, time);
            o.Logger(new Internal.MartenCommandLog(loggerFactory.CreateLogger("Marten")));
        }).ApplyAllDatabaseChangesOnStartup().UseLightweightSessions();
        if (options.Daemon != DaemonMode.Disabled)
        {
            marten.AddAsyncDaemon(options.Daemon);
        }

        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new AggregatorEventStore(host, options, time);
    }

    /// <summary>
    /// The aggregator's data source for <paramref name="connectionString"/> (<c>Aggregator:Database</c>). Every session sets
    /// <c>client_connection_check_interval</c> (PostgreSQL 14+): Marten's HotCold leader watches its advisory lock with a
    /// long <c>pg_sleep</c> query, and without the check a leader killed outright (<c>kill -9</c>, a crashed pod) keeps the
    /// lock, and with it the transmitter, until that query ends; with it the server notices the dead client within a
    /// second and another replica takes over.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        // Npgsql names its pool metrics (db.client.connection.pool.name) after the data source, by default the connection
        // string: a host, user and database list on every scrape. A fixed name keeps them out of the metrics.
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "aggregator" };
        var options = builder.ConnectionStringBuilder.Options;
        builder.ConnectionStringBuilder.Options = (string.IsNullOrWhiteSpace(options) ? "" : options + " ") + "-c client_connection_check_interval=1000";
        return builder.Build();
    }

    /// <summary>Configures Marten for the aggregator (also used by tools that build a <see cref="DocumentStore"/> directly).</summary>
    public static void Configure(StoreOptions marten, NpgsqlDataSource dataSource, AggregatorStoreOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(marten);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        marten.Connection(dataSource);
        marten.DatabaseSchemaName = options.Schema;
        marten.Events.DatabaseSchemaName = options.Schema;
        // camelCase System.Text.Json: the bodies the previous release stored (JsonSerializerDefaults.Web) read as they are.
        marten.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        AggregatorEvents.Register(marten);
        // A projection error stops the shard (it is retried, then paused) instead of skipping the event: the read model
        // never silently differs from a rebuild; /readyz shows the growing lag.
        marten.Projections.Errors.SkipApplyErrors = false;
        marten.Projections.Errors.SkipSerializationErrors = false;
        marten.Projections.RebuildErrors.SkipApplyErrors = false;
        marten.Projections.RebuildErrors.SkipSerializationErrors = false;
        // HotCold: the daemon's advisory locks are database-wide; the lock id is derived from the schema so two stores in
        // one database (another Aggregator:EventStoreSchema) never contend. Leadership is polled every second, so a
        // replica takes over (and with it the transmitter, DaemonLeadership) about a second after the leader is gone.
        marten.Projections.DaemonLockId = DaemonLockId(options.Schema);
        marten.Projections.LeadershipPollingTime = 1_000;
        marten.Projections.Snapshot<RoundLedger>(SnapshotLifecycle.Inline);
        marten.Schema.For<AppendKey>();
        options.Query.Register(marten);
        var query = new QueryProjection(options.Query);
        marten.Projections.Add(query, ProjectionLifecycle.Async, query.Name, asyncConfiguration: a =>
        {
            // Pages of 1,000 events: the projection loads and stores the documents of a page once, so larger pages mean
            // fewer document writes per event (a full round of 7 reporters is 11 events).
            a.BatchSize = 1_000;
            foreach (var type in QueryProjection.DocumentTypes)
            {
                a.StorageTypes.Add(type);
                a.DeleteViewTypeOnTeardown(type);
            }
        });
        if (options.Listener is { } listener)
        {
            marten.Listeners.Add(listener);
        }
    }

    /// <summary>A stable advisory lock id for the daemon of <paramref name="schema"/> (FNV-1a of the name).</summary>
    internal static int DaemonLockId(string schema)
    {
        var hash = 2166136261u;
        foreach (var c in schema)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x3FFF_FFFF) | 0x4000_0000;
    }

    /// <summary>
    /// Rebuilds the query projection from the whole log with Marten's rebuild (its documents are deleted, every event is
    /// replayed, the progression is set to the end) on a daemon of its own. Run it while no replica's daemon runs the
    /// projection (an operator stops the replicas, or a tool on an idle database).
    /// </summary>
    public static async Task RebuildQueryProjectionAsync(IDocumentStore store, QuerySchema query, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(query);
        using var daemon = await store.BuildProjectionDaemonAsync().ConfigureAwait(false);
        await daemon.RebuildProjectionAsync(QueryProjection.NameFor(query), timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until the async projections have applied every event appended so far (tests and benchmarks).</summary>
    public Task WaitForNonStaleDataAsync(TimeSpan timeout) =>
        _host.Services.GetRequiredService<IProjectionCoordinator>().DaemonForMainDatabase().WaitForNonStaleData(timeout);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _leading.ConfigureAwait(false);
        Leadership?.Dispose();
        try
        {
            await _host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _host.Dispose();
            _stop.Dispose();
        }
    }
}

/// <summary>A host lifetime that does nothing (no console signal handling, no status messages).</summary>
internal sealed class NoLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
