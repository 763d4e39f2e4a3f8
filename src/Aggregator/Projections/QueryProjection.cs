using System.Globalization;
using JasperFx.Events;
using Marten;
using SupplyOracle.Aggregator.Projections.Internal;
using SupplyOracle.Aggregator.Telemetry;
using IMartenProjection = Marten.Events.Projections.IProjection;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>
/// The aggregator's read model (issue 9, "projections and a query API"; issue 17), kept as Marten documents
/// (<see cref="Documents"/>): per round its state (<see cref="Documents.RoundDocument"/>), timeline and token outcomes, per
/// token the committed state and its history, per reporter participation, distance from the median, supply
/// disagreements, equivocations and rejections. A Marten custom projection run by the async daemon (HotCold: one replica
/// applies it; Marten commits the documents with the projection's progress, REFERENCES.md event store rule 5, and
/// rebuilds it by deleting the documents and replaying).
/// </summary>
/// <remarks>
/// One projection for every view, because the views are figures of one another (the close takes the median and c* of
/// the round's observations and moves every observing reporter's statistics; a confirmation moves every token of the
/// round's report). It is written for the daemon's pages: a page of events loads every document it touches in two
/// batched reads, applies the events in memory and stores each changed document once, in the daemon's one commit of the
/// page, so a full round costs a few document writes instead of statements per event. Deterministic: a rebuild equals
/// the live documents. Event types it does not project are counted (and, on round streams, still on the timeline).
/// </remarks>
public sealed class QueryProjection : IMartenProjection
{
    /// <summary>The projection's name (Marten's projection name, its checkpoint key) for the default schema.</summary>
    /// <remarks>Not the name of the previous release's SQL projection (<c>aggregator-query</c>): a new name starts from the log's beginning.</remarks>
    public const string DefaultName = "aggregator-query-documents";

    /// <summary>Creates the projection for <paramref name="schema"/>.</summary>
    public QueryProjection(QuerySchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
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

    /// <summary>The document types it owns (deleted before a rebuild).</summary>
    public static IReadOnlyList<Type> DocumentTypes { get; } =
    [
        typeof(Documents.RoundDocument), typeof(Documents.RoundTimelineDocument), typeof(Documents.RoundTokensDocument),
        typeof(Documents.RoundObservationsDocument), typeof(Documents.TokenDocument), typeof(Documents.TokenHistoryDocument),
        typeof(Documents.ReporterDocument), typeof(Documents.QueryTotalsDocument),
    ];

    /// <inheritdoc />
    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(events);
        using var activity = AggregatorTelemetry.Source.StartActivity("projection.apply");
        activity?.SetTag("supplyoracle.projection", Name);
        activity?.SetTag("supplyoracle.events", events.Count);
        if (events.Count == 0)
        {
            return;
        }

        var page = new QueryPage(Name, events);
        await page.LoadAsync(operations, cancellation).ConfigureAwait(false);
        page.ApplyAll();
        page.Store(operations);
        activity?.SetTag("supplyoracle.position", events[^1].Sequence);
    }

    /// <summary>
    /// A digest of every document of the projection (<c>type:count:sha256;...</c>, each type's documents as stored, in
    /// text order), so the live state and a rebuild from the events can be compared exactly.
    /// </summary>
    public static async Task<string> DigestAsync(IDocumentStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var session = store.QuerySession();
        await using var sessionScope = session.ConfigureAwait(false);
        var digest = new System.Text.StringBuilder();
        foreach (var type in DocumentTypes)
        {
            var table = store.Options.Schema.For(type);
            var rows = await session.QueryAsync<string>(
                $"SELECT count(*) || ':' || coalesce(encode(sha256(convert_to(string_agg(data::text, E'\n' ORDER BY data::text), 'UTF8')), 'hex'), '') FROM {table}",
                cancellationToken).ConfigureAwait(false);
            digest.Append(CultureInfo.InvariantCulture, $"{type.Name}:{rows[0]};");
        }

        return digest.ToString();
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
