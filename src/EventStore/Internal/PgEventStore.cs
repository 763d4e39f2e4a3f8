using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Internal.Schema;
using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Internal;

/// <summary>
/// The event store on Npgsql. An append is one call of the <c>append_events</c> function (migration 2): one round trip
/// with the events as array parameters, one implicit transaction; with inline projections, the call and the
/// projections share one explicit transaction.
/// </summary>
internal sealed partial class PgEventStore : IEventStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<IProjection> _inline;
    private readonly ILogger _logger;
    private readonly string _appendSql;

    public PgEventStore(NpgsqlDataSource dataSource, EventStoreOptions options)
    {
        _dataSource = dataSource;
        Names = new SchemaNames(options.Schema);
        _time = options.TimeProvider;
        _inline = [.. options.InlineProjections];
        foreach (var projection in _inline)
        {
            ArgumentNullException.ThrowIfNull(projection, nameof(options));
            _ = projection.Tables.Select(SchemaNames.QuoteTable).ToList();
        }

        _logger = options.LoggerFactory.CreateLogger<PgEventStore>();
        _appendSql = Names.Sql("SELECT stream_version, first_position, last_position, already_appended FROM {s}.append_events($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        _readAllSql = Names.Sql($"SELECT {Columns} FROM {{s}}.events WHERE position > $1 ORDER BY position LIMIT $2");
        _readForwardSql = Names.Sql($"SELECT {Columns} FROM {{s}}.events WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3");
        _readBackwardSql = Names.Sql($"SELECT {Columns} FROM {{s}}.events WHERE stream_id = $1 AND version <= $2 ORDER BY version DESC LIMIT $3");
        _headSql = Names.Sql("SELECT pos FROM {s}.log_head");
        _versionSql = Names.Sql("SELECT version FROM {s}.streams WHERE stream_id = $1 AND version >= 0");
    }

    public SchemaNames Names { get; }

    public async Task<AppendResult> AppendAsync(StreamId stream, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        _ = stream.Value; // throws for default(StreamId)
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        var ids = new Guid[events.Count];
        var types = new string[events.Count];
        var data = new string[events.Count];
        var correlation = new Guid?[events.Count];
        var causation = new Guid?[events.Count];
        var seen = new HashSet<Guid>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i] ?? throw new ArgumentException($"Event {i} of the append is null.", nameof(events));
            if (!seen.Add(e.EventId))
            {
                throw new EventIdConflictException(stream, EventIdConflictReason.DuplicateInBatch);
            }

            ids[i] = e.EventId;
            types[i] = e.Type;
            data[i] = e.Json;
            correlation[i] = e.Metadata.CorrelationId;
            causation[i] = e.Metadata.CausationId;
        }

        var created = _time.GetUtcNow();
        using var activity = EventStoreTelemetry.Source.StartActivity("eventstore.append", ActivityKind.Client);
        activity?.SetTag("db.system.name", "postgresql");
        activity?.SetTag("db.operation.name", "append_events");
        activity?.SetTag("supplyoracle.eventstore.batch_size", events.Count);
        var started = Stopwatch.GetTimestamp();
        try
        {
            AppendResult result;
            if (_inline.Count == 0)
            {
                var command = _dataSource.CreateCommand(_appendSql);
                await using var commandScope = command.ConfigureAwait(false);
                AddAppendParameters(command, stream, expected, ids, types, data, correlation, causation, created);
                result = await ExecuteAppendAsync(command, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                result = await AppendWithInlineProjectionsAsync(stream, expected, events, ids, types, data, correlation, causation, created, cancellationToken)
                    .ConfigureAwait(false);
            }

            if (!result.AlreadyAppended)
            {
                EventStoreTelemetry.EventsAppended.Add(events.Count);
            }

            return result;
        }
        catch (NpgsqlException e)
        {
            var mapped = ErrorMapper.Append(e, stream, expected);
            if (mapped is WrongExpectedVersionException)
            {
                EventStoreTelemetry.AppendConflicts.Add(1);
            }

            Log.AppendRefused(_logger, mapped.Message);
            activity?.SetStatus(ActivityStatusCode.Error, mapped.GetType().Name);
            throw mapped;
        }
        finally
        {
            EventStoreTelemetry.AppendDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private async Task<AppendResult> AppendWithInlineProjectionsAsync(
        StreamId stream, ExpectedVersion expected, IReadOnlyList<EventData> events, Guid[] ids, string[] types, string[] data,
        Guid?[] correlation, Guid?[] causation, DateTimeOffset created, CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        AppendResult result;
        var command = new NpgsqlCommand(_appendSql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            AddAppendParameters(command, stream, expected, ids, types, data, correlation, causation, created);
            result = await ExecuteAppendAsync(command, cancellationToken).ConfigureAwait(false);
        }

        if (!result.AlreadyAppended)
        {
            var recorded = new RecordedEvent[events.Count];
            var firstVersion = result.StreamVersion - events.Count + 1;
            for (var i = 0; i < events.Count; i++)
            {
                recorded[i] = new RecordedEvent(stream, firstVersion + i, result.FirstPosition + i, ids[i], types[i], data[i], events[i].Metadata, created);
            }

            var context = new ProjectionContext(transaction);
            foreach (var projection in _inline)
            {
                await projection.ApplyAsync(context, recorded, cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static void AddAppendParameters(
        NpgsqlCommand command, StreamId stream, ExpectedVersion expected, Guid[] ids, string[] types, string[] data,
        Guid?[] correlation, Guid?[] causation, DateTimeOffset created)
    {
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = stream.Value });
        p.Add(new NpgsqlParameter<int> { TypedValue = (int)expected.Kind });
        p.Add(new NpgsqlParameter<long> { TypedValue = expected.Version });
        p.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = types });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = data, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        p.Add(new NpgsqlParameter<Guid?[]> { TypedValue = correlation, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter<Guid?[]> { TypedValue = causation, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = created });
    }

    private static async Task<AppendResult> ExecuteAppendAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var readerScope = reader.ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("append_events returned no row.");
        }

        return new AppendResult(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetBoolean(3));
    }
}
