using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore;

/// <summary>Reads streams and the global log.</summary>
public interface IEventStoreReader
{
    /// <summary>
    /// Reads up to <paramref name="maxCount"/> events of a stream, starting at version <paramref name="from"/>
    /// (inclusive; null means the first event forwards or the last event backwards). An absent stream reads as empty.
    /// </summary>
    IAsyncEnumerable<RecordedEvent> ReadStreamAsync(StreamId stream, ReadDirection direction, long? from = null, int maxCount = int.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> events of the global log with positions strictly greater than
    /// <paramref name="afterPosition"/>, in position order. Appends are serialized through one head row, so positions
    /// are gap-free and in commit order: a reader may trust <c>position &gt; checkpoint</c>.
    /// </summary>
    IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>The position of the last committed event in the global log (0 when the log is empty).</summary>
    Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <summary>The version of a stream's last event, or null when the stream has no event.</summary>
    Task<long?> ReadStreamVersionAsync(StreamId stream, CancellationToken cancellationToken = default);
}

/// <summary>Appends events to streams.</summary>
public interface IEventStoreWriter
{
    /// <summary>
    /// Appends <paramref name="events"/> (at least one) to <paramref name="stream"/> in one transaction, if the stream
    /// meets <paramref name="expected"/>. Inline projections run in the same transaction.
    /// </summary>
    /// <exception cref="Errors.WrongExpectedVersionException">The stream does not meet the expectation.</exception>
    /// <exception cref="Errors.EventIdConflictException">Some, not all, of the ids were appended before, or elsewhere.</exception>
    /// <exception cref="Errors.EventStoreDatabaseException">A transient failure (<c>IsTransient</c>); the outcome may be
    /// unknown, and retrying with the same event ids is safe.</exception>
    Task<AppendResult> AppendAsync(StreamId stream, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);
}

/// <summary>The event store: <see cref="IEventStoreReader"/> and <see cref="IEventStoreWriter"/>.</summary>
public interface IEventStore : IEventStoreReader, IEventStoreWriter;
