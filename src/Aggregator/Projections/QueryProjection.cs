using System.Globalization;
using JasperFx.Events;
using Marten;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Aggregator.Transmission;
using IMartenProjection = Marten.Events.Projections.IProjection;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>
/// The aggregator's read model (issue 9, "projections and a query API"), built from the global log into the tables of
/// <see cref="QuerySchema"/>: per token the committed state and its history, per reporter participation, distance from
/// the median, supply disagreements, equivocations and rejections, per round a timeline. A Marten custom projection run
/// by Marten's async daemon (HotCold: one replica applies it; Marten keeps the checkpoint in the transaction of these
/// writes, REFERENCES.md event store rule 5, and rebuilds it by emptying <see cref="Tables"/> and replaying), written as
/// flat-table SQL (Marten's "custom SQL projection" pattern) because the figures are set operations over the round's
/// observations (median, c*, distances). Deterministic, so a rebuild reproduces it row for row. Event types it does
/// not project are counted in <c>ignored_events</c> (and, for round streams, still shown on the timeline).
/// </summary>
public sealed partial class QueryProjection : IMartenProjection
{
    /// <summary>The projection's name (Marten's projection name, its checkpoint key) for the default schema.</summary>
    public const string DefaultName = "aggregator-query";

    private readonly QuerySchema _schema;

    /// <summary>Creates the projection over <paramref name="schema"/>.</summary>
    public QueryProjection(QuerySchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        _schema = schema;
        Name = NameFor(schema);
    }

    /// <summary>The projection name used for <paramref name="schema"/>.</summary>
    public static string NameFor(QuerySchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Name == QuerySchema.DefaultName ? DefaultName : DefaultName + "-" + schema.Name.Replace('_', '-');
    }

    /// <summary>The projection's name.</summary>
    public string Name { get; }

    /// <summary>The tables it owns (emptied before a rebuild).</summary>
    public IReadOnlyList<string> Tables => _schema.Tables;

    /// <inheritdoc />
    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        using var activity = AggregatorTelemetry.Source.StartActivity("projection.apply");
        activity?.SetTag("supplyoracle.projection", Name);
        activity?.SetTag("supplyoracle.events", events.Count);
        // Every statement is queued on Marten's unit of work for this page of events: executed in order, in the daemon's
        // transaction, with the projection's progress (later statements see earlier ones' writes).
        var batch = new SqlBatch(operations, _schema);
        foreach (var e in events)
        {
            ApplyOne(batch, e);
        }

        if (events.Count > 0)
        {
            activity?.SetTag("supplyoracle.position", events[^1].Sequence);
        }

        return Task.CompletedTask;
    }

    private void ApplyOne(SqlBatch batch, IEvent e)
    {
        var recorded = new Recorded(e.Sequence, e.EventTypeName, e.Timestamp.ToUniversalTime(), e.StreamKey ?? e.StreamId.ToString());
        switch (e.Data)
        {
            case ObservationAccepted accepted:
                Accepted(batch, recorded, accepted);
                break;
            case ObservationRejected rejected:
                Rejected(batch, rejected);
                break;
            case EquivocationDetected equivocation:
                Equivocation(batch, recorded, equivocation);
                break;
            case RoundClosed closed:
                Closed(batch, recorded, closed);
                break;
            case RoundProposed proposed:
                Proposed(batch, recorded, proposed);
                break;
            case RoundAbandoned abandoned:
                Abandoned(batch, recorded, abandoned);
                break;
            case TransmissionIntended intended:
                Intended(batch, recorded, intended);
                break;
            case RoundConfirmed confirmed:
                Confirmed(batch, recorded, confirmed);
                break;
            case RoundSuperseded superseded:
                Superseded(batch, recorded, superseded);
                break;
            case RoundFailed failed:
                Failed(batch, recorded, failed);
                break;
            case TransmissionReplaced replaced:
                Replaced(batch, recorded, replaced);
                break;
            case TransmissionReorganised reorganised:
                Reorganised(batch, recorded, reorganised);
                break;
            default:
                Unknown(batch, recorded);
                break;
        }
    }

    /// <summary>What the projection uses of an event's envelope.</summary>
    /// <param name="Position">Marten's global sequence number.</param>
    /// <param name="Type">The stable event type name.</param>
    /// <param name="Created">When it was appended (UTC).</param>
    /// <param name="StreamId">The stream key.</param>
    internal sealed record Recorded(long Position, string Type, DateTimeOffset Created, string StreamId);

    /// <summary>Unknown types: counted; on a round stream the event still appears on the timeline (type and time).</summary>
    private void Unknown(SqlBatch batch, Recorded recorded)
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
    internal static long? RoundOf(string stream)
    {
        const string Prefix = "round-";
        return stream.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(stream.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var round)
            ? round
            : null;
    }

    private void Timeline(SqlBatch batch, long round, Recorded recorded, string? detail) =>
        Add(batch, """
            INSERT INTO {q}.round_timeline (round, position, event_type, at, detail) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (round, position) DO NOTHING
            """, round, recorded.Position, recorded.Type, recorded.Created, detail);

    /// <summary>Adds a statement with positional parameters (<c>$1</c>, <c>$2</c>, ...) to the batch.</summary>
    private static void Add(SqlBatch batch, string sql, params object?[] parameters) => batch.Add(sql, parameters);

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
