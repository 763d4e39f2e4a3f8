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
        // Every statement of the batch goes in one NpgsqlBatch: one round trip, executed in order in the subscription's
        // transaction (later statements see earlier ones' writes), flushed every FlushEvery events to bound its size.
        var batch = context.CreateBatch();
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                ApplyOne(batch, events[i]);
                if ((i + 1) % FlushEvery == 0 || i == events.Count - 1)
                {
                    if (batch.BatchCommands.Count > 0)
                    {
                        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await batch.DisposeAsync().ConfigureAwait(false);
                    batch = context.CreateBatch();
                }
            }
        }
        finally
        {
            await batch.DisposeAsync().ConfigureAwait(false);
        }

        if (events.Count > 0)
        {
            activity?.SetTag("supplyoracle.position", events[^1].Position);
        }
    }

    private const int FlushEvery = 100;

    private void ApplyOne(NpgsqlBatch batch, RecordedEvent recorded)
    {
        switch (recorded.Type)
        {
            case IntakeEventNames.ObservationAccepted:
                Accepted(batch, recorded, Read<ObservationAccepted>(recorded));
                break;
            case IntakeEventNames.ObservationRejected:
                Rejected(batch, Read<ObservationRejected>(recorded));
                break;
            case IntakeEventNames.EquivocationDetected:
                Equivocation(batch, recorded, Read<EquivocationDetected>(recorded));
                break;
            case RoundEventNames.RoundClosed:
                Closed(batch, recorded, Read<RoundClosed>(recorded));
                break;
            case RoundEventNames.RoundProposed:
                Proposed(batch, recorded, Read<RoundProposed>(recorded));
                break;
            case RoundEventNames.RoundAbandoned:
                Abandoned(batch, recorded, Read<RoundAbandoned>(recorded));
                break;
            case TransmissionEventNames.TransmissionIntended:
                Intended(batch, recorded, Read<TransmissionIntended>(recorded));
                break;
            case TransmissionEventNames.RoundConfirmed:
                Confirmed(batch, recorded, Read<RoundConfirmed>(recorded));
                break;
            case TransmissionEventNames.RoundSuperseded:
                Superseded(batch, recorded, Read<RoundSuperseded>(recorded));
                break;
            case TransmissionEventNames.RoundFailed:
                Failed(batch, recorded, Read<RoundFailed>(recorded));
                break;
            case TransmissionEventNames.TransmissionReplaced:
                Replaced(batch, recorded, Read<TransmissionReplaced>(recorded));
                break;
            case TransmissionEventNames.TransmissionReorganised:
                Reorganised(batch, recorded, Read<TransmissionReorganised>(recorded));
                break;
            default:
                Unknown(batch, recorded);
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
    private void Unknown(NpgsqlBatch batch, RecordedEvent recorded)
    {
        Add(batch, """
            INSERT INTO {q}.ignored_events (event_type, count) VALUES ($1, 1)
            ON CONFLICT (event_type) DO UPDATE SET count = {q}.ignored_events.count + 1
            """, recorded.Type);
        if (RoundOf(recorded.StreamId) is { } round)
        {
            Timeline(batch, round, recorded, null);
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

    private void Timeline(NpgsqlBatch batch, long round, RecordedEvent recorded, string? detail) =>
        Add(batch, """
            INSERT INTO {q}.round_timeline (round, position, event_type, at, detail) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (round, position) DO NOTHING
            """, round, recorded.Position, recorded.Type, recorded.Created.UtcDateTime, detail);

    /// <summary>Adds a statement with positional parameters (<c>$1</c>, <c>$2</c>, ...) to the batch.</summary>
    private void Add(NpgsqlBatch batch, string sql, params object?[] parameters)
    {
        var command = new NpgsqlBatchCommand(_schema.Sql(sql));
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        batch.BatchCommands.Add(command);
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
