namespace SupplyOracle.EventStore.Streams;

/// <summary>
/// What is known about why an event was written: the correlation id of the whole conversation and the causation id of
/// the message or event that caused it. The timestamp is not set by callers: the store stamps every event with its
/// <see cref="TimeProvider"/> (<see cref="RecordedEvent.Created"/>).
/// </summary>
/// <param name="CorrelationId">The id shared by every event of one workflow, if any.</param>
/// <param name="CausationId">The id of the message or event that caused this one, if any.</param>
public readonly record struct EventMetadata(Guid? CorrelationId, Guid? CausationId)
{
    /// <summary>No correlation or causation.</summary>
    public static EventMetadata None => default;
}
