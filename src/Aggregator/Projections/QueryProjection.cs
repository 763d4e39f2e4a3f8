using System.Globalization;
using System.Text.Json;
using Npgsql;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>
/// The aggregator's read model (issue 9, "projections and a query API"), built from the global log into the tables of
/// <see cref="QuerySchema"/>: per token the committed state and its history, per reporter participation, distance from
/// the median, supply disagreements, equivocations and rejections, per round a timeline. Runs behind a
/// <see cref="EventStore.Subscriptions.CatchUpSubscription"/> (checkpoint in the same transaction as these writes,
/// REFERENCES.md event store rule 5) and is deterministic, so <see cref="ProjectionRebuilder"/> reproduces it row for row.
/// Event types it does not know are counted in <c>ignored_events</c> (and, for round streams, still shown on the
/// timeline), never failed on: new lifecycle events appear as the aggregator grows.
/// </summary>
public sealed partial class QueryProjection : IProjection
{
    /// <summary>The projection's name (its checkpoint key) for the default schema.</summary>
    public const string DefaultName = "aggregator-query";

    private readonly QuerySchema _schema;
    private readonly EventTypeMap _map;

    /// <summary>Creates the projection over <paramref name="schema"/>.</summary>
    public QueryProjection(QuerySchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
        Name = schema.Name == QuerySchema.DefaultName ? DefaultName : DefaultName + ":" + schema.Name;
        _map = new EventTypeMap().RegisterIntakeEvents().RegisterRoundEvents().RegisterTransmissionEvents();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Tables => _schema.Tables;

    /// <inheritdoc />
    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(events);
        using var activity = AggregatorTelemetry.Source.StartActivity("projection.apply");
        activity?.SetTag("supplyoracle.projection", Name);
        activity?.SetTag("supplyoracle.events", events.Count);
        foreach (var recorded in events)
        {
            await ApplyOneAsync(context, recorded, cancellationToken).ConfigureAwait(false);
        }

        if (events.Count > 0)
        {
            activity?.SetTag("supplyoracle.position", events[^1].Position);
        }
    }

    private async Task ApplyOneAsync(ProjectionContext context, RecordedEvent recorded, CancellationToken cancellationToken)
    {
        switch (recorded.Type)
        {
            case IntakeEventNames.ObservationAccepted:
                await AcceptedAsync(context, recorded, Read<ObservationAccepted>(recorded), cancellationToken).ConfigureAwait(false);
                break;
            case IntakeEventNames.ObservationRejected:
                await RejectedAsync(context, Read<ObservationRejected>(recorded), cancellationToken).ConfigureAwait(false);
                break;
            case IntakeEventNames.EquivocationDetected:
                await EquivocationAsync(context, recorded, Read<EquivocationDetected>(recorded), cancellationToken).ConfigureAwait(false);
                break;
            case RoundEventNames.RoundClosed:
                await ClosedAsync(context, recorded, Read<RoundClosed>(recorded), cancellationToken).ConfigureAwait(false);
                break;
            case RoundEventNames.RoundProposed:
                await ProposedAsync(context, recorded, Read<RoundProposed>(recorded), cancellationToken).ConfigureAwait(false);
                break;
            case RoundEventNames.RoundAbandoned:
                await AbandonedAsync(context, recorded, Read<RoundAbandoned>(recorded), cancellationToken).ConfigureAwait(false);
                break;
            case TransmissionEventNames.TransmissionIntended:
                await IntendedAsync(context, recorded, Read<TransmissionIntended>(recorded), cancellationToken).ConfigureAwait(false);
                break;
            case TransmissionEventNames.RoundConfirmed:
                await ConfirmedAsync(context, recorded, Read<RoundConfirmed>(recorded), cancellationToken).ConfigureAwait(false);
                break;
            case TransmissionEventNames.RoundSuperseded:
                await SupersededAsync(context, recorded, Read<RoundSuperseded>(recorded), cancellationToken).ConfigureAwait(false);
                break;
            default:
                await UnknownAsync(context, recorded, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private T Read<T>(RecordedEvent recorded)
    {
        try
        {
            return (T)_map.Deserialize(recorded);
        }
        catch (JsonException e)
        {
            throw new ProjectionEventException(Name, recorded.Position, recorded.Type, e);
        }
    }

    /// <summary>Unknown types: counted; on a round stream the event still appears on the timeline (type and time).</summary>
    private async Task UnknownAsync(ProjectionContext context, RecordedEvent recorded, CancellationToken cancellationToken)
    {
        await ExecAsync(context, """
            INSERT INTO {q}.ignored_events (event_type, count) VALUES ($1, 1)
            ON CONFLICT (event_type) DO UPDATE SET count = {q}.ignored_events.count + 1
            """, cancellationToken, recorded.Type).ConfigureAwait(false);
        if (RoundOf(recorded.StreamId) is { } round)
        {
            await TimelineAsync(context, round, recorded, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The round of a <c>round-&lt;r&gt;</c> stream, or null for any other stream.</summary>
    internal static long? RoundOf(StreamId stream)
    {
        const string Prefix = "round-";
        var name = stream.ToString();
        return name.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var round)
            ? round
            : null;
    }

    private Task TimelineAsync(ProjectionContext context, long round, RecordedEvent recorded, string? detail, CancellationToken cancellationToken) =>
        ExecAsync(context, """
            INSERT INTO {q}.round_timeline (round, position, event_type, at, detail) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (round, position) DO NOTHING
            """, cancellationToken, round, recorded.Position, recorded.Type, recorded.Created.UtcDateTime, detail);

    private async Task<int> ExecAsync(ProjectionContext context, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        using var command = context.CreateCommand(_schema.Sql(sql));
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Protocol rounds, blocks and gas are uint64; they are stored as bigint (checked: a value past 2^63 is a bug upstream).</summary>
    private static long Db(ulong value) => checked((long)value);

}

/// <summary>A stored event of a known type could not be read by the projection (its body does not fit the type).</summary>
public sealed class ProjectionEventException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProjectionEventException(string projection, long position, string eventType, Exception inner)
        : base($"projection {projection}: event at position {position} ('{eventType}') does not fit its registered type: {inner.Message}", inner)
    {
        Projection = projection;
        Position = position;
        EventType = eventType;
    }

    /// <summary>The projection.</summary>
    public string Projection { get; }

    /// <summary>The event's global position.</summary>
    public long Position { get; }

    /// <summary>The event's type name.</summary>
    public string EventType { get; }
}
