namespace SupplyOracle.EventStore.Streams;

/// <summary>An event as stored: where it is in its stream and in the global log, and when it was appended.</summary>
/// <param name="StreamId">The stream it belongs to.</param>
/// <param name="Version">Its zero-based version in the stream.</param>
/// <param name="Position">Its position in the global log (1, 2, 3, … with no gaps, in commit order).</param>
/// <param name="EventId">Its unique id.</param>
/// <param name="Type">Its stable type name.</param>
/// <param name="Json">Its body as JSON text.</param>
/// <param name="Metadata">Correlation and causation.</param>
/// <param name="Created">When the store appended it, by the store's <see cref="TimeProvider"/>.</param>
public sealed record RecordedEvent(
    StreamId StreamId,
    long Version,
    long Position,
    Guid EventId,
    string Type,
    string Json,
    EventMetadata Metadata,
    DateTimeOffset Created);
