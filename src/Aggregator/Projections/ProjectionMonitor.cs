using Marten;
using Npgsql;
using SupplyOracle.Aggregator.Projections.Documents;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>One readiness check.</summary>
/// <param name="Ok">True when it passed.</param>
/// <param name="Error">What failed, when it did not.</param>
public sealed record HealthCheck(bool Ok, string? Error);

/// <summary>The projection's position against the log.</summary>
/// <param name="Ok">True when the lag is within the bound and the projection is running.</param>
/// <param name="Lag">Events behind the head (null when the database could not be read).</param>
/// <param name="MaxLag">The bound.</param>
/// <param name="Error">Why it is not ok.</param>
public sealed record ProjectionCheck(bool Ok, long? Lag, long MaxLag, string? Error);

/// <summary>The answer of <c>/readyz</c>.</summary>
/// <param name="Ready">True when every check passed.</param>
/// <param name="Database">PostgreSQL reachable.</param>
/// <param name="Projection">Projection lag under the bound.</param>
/// <param name="Chain">The JSON-RPC node reachable, when the aggregator was given a client; else null.</param>
public sealed record ReadinessReport(bool Ready, HealthCheck Database, ProjectionCheck Projection, HealthCheck? Chain);

/// <summary>
/// Watches the query projection: reads the log head and its checkpoint (Marten's tables) and the projection's totals
/// document, for <c>/readyz</c> and for the aggregator's observable instruments (<see cref="AggregatorTelemetry"/>): the
/// daemon's progress is observed as metrics, not logged.
/// </summary>
public sealed class ProjectionMonitor : IDisposable
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    private readonly IDocumentStore _store;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _projection;
    private readonly long _maxLag;
    private readonly EthereumRpcClient? _chain;
    private readonly TimeProvider _time;
    private readonly string _sql;
    private readonly IDisposable _registration;
    private volatile ProjectionMeasurements? _last;
    private volatile Exception? _fault;

    /// <summary>Creates the monitor.</summary>
    /// <param name="store">The Marten store holding the projection's documents.</param>
    /// <param name="dataSource">The database.</param>
    /// <param name="eventStoreSchema">Marten's schema (<c>mt_events</c> and the daemon's <c>mt_event_progression</c>).</param>
    /// <param name="projection">The projection's name (Marten's, its progression row is <c>name:All</c>).</param>
    /// <param name="maxLag">Readiness fails above this many events behind.</param>
    /// <param name="chain">The node to check, or null.</param>
    /// <param name="time">The clock for timeouts.</param>
    public ProjectionMonitor(IDocumentStore store, NpgsqlDataSource dataSource, string eventStoreSchema, string projection, long maxLag,
        EthereumRpcClient? chain, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(eventStoreSchema);
        ArgumentException.ThrowIfNullOrEmpty(projection);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLag);
        ArgumentNullException.ThrowIfNull(time);
        if (!QuerySchema.IsIdentifier(eventStoreSchema))
        {
            throw new ArgumentException($"The event store schema is a plain lower-case identifier; got '{eventStoreSchema}'.", nameof(eventStoreSchema));
        }

        _store = store;
        _dataSource = dataSource;
        _projection = projection;
        _maxLag = maxLag;
        _chain = chain;
        _time = time;
        _sql = $"""
            SELECT coalesce((SELECT max(seq_id) FROM {eventStoreSchema}.mt_events), 0),
                   coalesce((SELECT last_seq_id FROM {eventStoreSchema}.mt_event_progression WHERE name = $1), 0)
            """;
        _registration = AggregatorTelemetry.RegisterProjection(() => _last);
    }

    /// <summary>The last measurements read (null before the first successful read).</summary>
    internal ProjectionMeasurements? Last => _last;

    /// <summary>Marks the projection as stopped by an error (it is then never ready).</summary>
    internal void ReportFault(Exception fault) => _fault = fault;

    /// <summary>Reads the database (and the chain, when given) now.</summary>
    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        HealthCheck database;
        ProjectionCheck projection;
        using (var timeout = new CancellationTokenSource(CheckTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                var measured = await MeasureAsync(linked.Token).ConfigureAwait(false);
                _last = measured;
                database = new HealthCheck(true, null);
                var fault = _fault;
                var ok = fault is null && measured.Lag <= _maxLag;
                projection = new ProjectionCheck(ok, measured.Lag, _maxLag,
                    fault is not null ? $"the projection stopped: {fault.Message}" : ok ? null : $"{measured.Lag} events behind the log (bound {_maxLag})");
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                database = new HealthCheck(false, e is OperationCanceledException ? "timed out" : e.Message);
                projection = new ProjectionCheck(false, null, _maxLag, "the database is unreachable");
            }
        }

        var chain = _chain is null ? null : await CheckChainAsync(cancellationToken).ConfigureAwait(false);
        return new ReadinessReport(database.Ok && projection.Ok && (chain?.Ok ?? true), database, projection, chain);
    }

    /// <summary>Refreshes the measurements every <paramref name="interval"/> until cancelled (failures only leave the last values).</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                _last = await MeasureAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // Unreachable: /readyz reports it; the instruments keep their last values.
            }

            try
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<ProjectionMeasurements> MeasureAsync(CancellationToken cancellationToken)
    {
        long head, checkpoint;
        using (var command = _dataSource.CreateCommand(_sql))
        {
            // Marten's progression row of the projection's one shard.
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _projection + ":All" });
            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (head, checkpoint) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        QueryTotalsDocument? totals;
        try
        {
            var session = _store.QuerySession();
            await using var sessionScope = session.ConfigureAwait(false);
            totals = await session.LoadAsync<QueryTotalsDocument>(QueryTotalsDocument.TheId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not NpgsqlException && e.InnerException is NpgsqlException inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
            throw;
        }

        totals ??= new QueryTotalsDocument();
        long Phase(string phase) => totals.Phases.GetValueOrDefault(phase);
        return new ProjectionMeasurements(_projection, Math.Max(0, head - checkpoint), totals.LastConfirmedRound, Phase("confirmed"),
            Phase("abandoned"), Phase("superseded"), Phase("failed"), totals.Attestations, totals.IgnoredEvents.Values.Sum());
    }

    private async Task<HealthCheck> CheckChainAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(CheckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _chain!.BlockNumberAsync(linked.Token).ConfigureAwait(false);
            return new HealthCheck(true, null);
        }
        catch (Exception e) when (e is JsonRpcException or JsonRpcTransportException or HttpRequestException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new HealthCheck(false, e is OperationCanceledException ? "timed out" : e.Message);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _registration.Dispose();
}
