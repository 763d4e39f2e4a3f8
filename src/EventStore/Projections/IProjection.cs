using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Projections;

/// <summary>
/// A read model built from events into tables of its own. The same projection can run inline (in every append's
/// transaction, <see cref="EventStoreOptions.InlineProjections"/>) or asynchronously behind a
/// <see cref="Subscriptions.CatchUpSubscription"/> whose checkpoint is written in the same transaction as
/// <see cref="ApplyAsync"/>'s writes (REFERENCES.md, event store rule 5). It must be deterministic: a replay of the same
/// events from an empty state gives the same rows (<see cref="ProjectionRebuilder"/> checks exactly that).
/// </summary>
public interface IProjection
{
    /// <summary>A stable name: the checkpoint key and the metric attribute (low cardinality).</summary>
    string Name { get; }

    /// <summary>The tables this projection owns (<c>table</c> or <c>schema.table</c>): emptied on reset, compared on rebuild.</summary>
    IReadOnlyList<string> Tables { get; }

    /// <summary>Applies a batch of events, in global order, using only <paramref name="context"/>'s transaction.</summary>
    Task ApplyAsync(ProjectionContext context, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken);
}
