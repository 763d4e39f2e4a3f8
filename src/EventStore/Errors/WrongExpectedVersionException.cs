using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Errors;

/// <summary>An append's <see cref="ExpectedVersion"/> was not met (SQLSTATE <c>SOE01</c>, or <c>23505</c> on the
/// stream/version key). Not transient: the caller must re-read the stream and decide again.</summary>
public sealed class WrongExpectedVersionException : EventStoreException
{
    /// <summary>Creates the exception.</summary>
    public WrongExpectedVersionException(StreamId stream, ExpectedVersion expected, long? actualVersion, Exception? innerException = null)
        : base($"Append to stream '{stream}' expected {expected} but the stream's version is {(actualVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (no stream)")}.", innerException)
    {
        Stream = stream;
        Expected = expected;
        ActualVersion = actualVersion;
    }

    /// <summary>The stream appended to.</summary>
    public StreamId Stream { get; }

    /// <summary>What the append expected.</summary>
    public ExpectedVersion Expected { get; }

    /// <summary>The stream's version when the append was refused (null: no stream, or unknown for a key violation).</summary>
    public long? ActualVersion { get; }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
