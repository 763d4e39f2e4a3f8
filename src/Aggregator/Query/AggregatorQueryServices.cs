using Npgsql;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Query.Internal;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.State;
using SupplyOracle.Telemetry;

namespace SupplyOracle.Aggregator.Query;

/// <summary>
/// The query side of a running aggregator, started in one call: the <see cref="ProjectionMonitor"/> (readiness and
/// instruments) of the <see cref="QueryProjection"/> that Marten's daemon runs (<see cref="AggregatorEventStore"/>), the
/// <see cref="StatusService"/> and the OTLP export. Pass it to
/// <c>AggregatorWebHost.StartAsync(..., query, ...)</c>; dispose it to stop everything (after the host).
/// </summary>
public sealed class AggregatorQueryServices : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _monitorLoop;
    private readonly OtlpExport _export;

    private AggregatorQueryServices(QueryProjection projection, QueryReader reader, OracleChainView? chain, RoundAuditReader? audit, ProjectionMonitor monitor,
        StatusService status, OtlpExport export, CancellationTokenSource stop, Task monitorLoop)
    {
        Projection = projection;
        Reader = reader;
        Chain = chain;
        Audit = audit;
        Monitor = monitor;
        Status = status;
        _export = export;
        _stop = stop;
        _monitorLoop = monitorLoop;
    }

    /// <summary>The projection.</summary>
    public QueryProjection Projection { get; }

    /// <summary>Reads the projection.</summary>
    public QueryReader Reader { get; }

    /// <summary>The oracle at the chain head (ages, stale flags, pauses), or null without a chain.</summary>
    public OracleChainView? Chain { get; }

    /// <summary>Round audits, or null without a deployment.</summary>
    public RoundAuditReader? Audit { get; }

    /// <summary>Readiness and instruments.</summary>
    public ProjectionMonitor Monitor { get; }

    /// <summary>The gRPC Status service handler.</summary>
    public StatusService Status { get; }

    /// <summary>What the web dashboard reads (README "Dashboard"), or null when <c>Aggregator:Dashboard:Enabled</c> is false.</summary>
    public SupplyOracle.Aggregator.Dashboard.DashboardSource? Dashboard { get; private init; }

    /// <summary>True when OTLP export is running.</summary>
    public bool ExportEnabled => _export.Enabled;

    /// <summary>Starts the monitor and the export (the projection runs on the event store's daemon).</summary>
    /// <param name="dataSource">The event store's database.</param>
    /// <param name="events">The running event store (its Marten schema and query projection).</param>
    /// <param name="options">The validated <c>Aggregator:Query</c> and <c>Aggregator:Otlp</c> settings.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="chain">The node <c>/readyz</c> checks, or null.</param>
    /// <param name="deployment">
    /// The deployment on <paramref name="chain"/>: ages, stale flags and pauses come from the oracle at the chain head
    /// (chain time, on-chain <c>reportStaleAfter</c>) and round audits read the oracle at their <c>stateBlock</c>;
    /// null (or no chain) leaves the first unknown and the audits without their rules input.
    /// </param>
    /// <param name="time">The clock (polling, reuse of chain reads).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static Task<AggregatorQueryServices> StartAsync(NpgsqlDataSource dataSource, AggregatorEventStore events, ValidatedQueryOptions options,
        ILoggerFactory loggerFactory, EthereumRpcClient? chain, OracleDeployment? deployment, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(time);
        cancellationToken.ThrowIfCancellationRequested();
        var projection = new QueryProjection(options.Schema);
        var reader = new QueryReader(events.Store);
        var oracle = chain is not null && deployment is not null ? new OracleStateReader(chain, deployment, time) : null;
        var chainView = oracle is not null ? new OracleChainView(chain!, oracle, time, options.PollInterval) : null;
        var audit = deployment is null ? null : new RoundAuditReader(events.Store, deployment, oracle);
        var monitor = new ProjectionMonitor(events.Store, dataSource, events.Options.Schema, projection.Name, options.MaxLagEvents, chain, time);
        var export = AggregatorTelemetryExport.Start(options.Otlp);
        var logger = loggerFactory.CreateLogger<AggregatorQueryServices>();
        var stop = new CancellationTokenSource();
        var monitorLoop = Task.Run(() => monitor.RunAsync(options.PollInterval, stop.Token), CancellationToken.None);
        Log.Started(logger, projection.Name, options.Schema.Name);
        return Task.FromResult(new AggregatorQueryServices(projection, reader, chainView, audit, monitor,
            new StatusService(reader, chainView, audit, time, options.PollInterval), export, stop, monitorLoop)
        {
            Dashboard = options.Dashboard ? new SupplyOracle.Aggregator.Dashboard.DashboardSource(reader, monitor, chain, deployment, time, options.PollInterval) : null,
        });
    }

    /// <summary>Stops the monitor and flushes the export.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _monitorLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        Monitor.Dispose();
        Chain?.Dispose();
        _export.Dispose();
        _stop.Dispose();
    }
}
