using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Errors;

/// <summary>Why an append's event ids conflict with stored events.</summary>
public enum EventIdConflictReason
{
    /// <summary>Some, but not all, of the ids were appended before (SQLSTATE <c>SOE02</c>).</summary>
    PartialOverlap,

    /// <summary>All ids were appended before, but not as this exact sequence at the end of one run in this stream (<c>SOE03</c>).</summary>
    DifferentAppend,

    /// <summary>The same id appears twice in one append (checked before anything is sent).</summary>
    DuplicateInBatch,

    /// <summary>The server reported the event id key itself (<c>23505</c>); append_events normally turns that into
    /// <see cref="PartialOverlap"/> or <see cref="DifferentAppend"/>, so this is a defensive mapping.</summary>
    UsedConcurrently,
}

/// <summary>An append reuses event ids in a way that is not an idempotent retry. Not transient.</summary>
public sealed class EventIdConflictException : EventStoreException
{
    /// <summary>Creates the exception.</summary>
    public EventIdConflictException(StreamId stream, EventIdConflictReason reason, Exception? innerException = null)
        : base($"Append to stream '{stream}' reuses event ids ({reason}): a retry must send exactly the same events as the first attempt.", innerException)
    {
        Stream = stream;
        Reason = reason;
    }

    /// <summary>The stream appended to.</summary>
    public StreamId Stream { get; }

    /// <summary>What kind of reuse it was.</summary>
    public EventIdConflictReason Reason { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
