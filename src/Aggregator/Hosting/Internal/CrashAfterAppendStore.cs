using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.Aggregator.Hosting.Internal;

/// <summary>
/// TEST HOOK for <c>Aggregator:Testing:CrashAfter</c> (fault-injection tests only): wraps the event store and kills the
/// process abruptly with <see cref="Environment.FailFast(string)"/> right after an append holding an event of the named
/// type has committed, so a test can restart the aggregator at exactly that lifecycle step.
/// </summary>
internal sealed class CrashAfterAppendStore(IEventStore inner, string eventType, Action<string, string> beforeCrash) : IEventStore
{
    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(StreamId stream, ReadDirection direction, long? from = null, int maxCount = int.MaxValue,
        CancellationToken cancellationToken = default) => inner.ReadStreamAsync(stream, direction, from, maxCount, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(afterPosition, maxCount, cancellationToken);

    public Task<long> ReadHeadPositionAsync(CancellationToken cancellationToken = default) => inner.ReadHeadPositionAsync(cancellationToken);

    public Task<long?> ReadStreamVersionAsync(StreamId stream, CancellationToken cancellationToken = default) => inner.ReadStreamVersionAsync(stream, cancellationToken);

    public async Task<AppendResult> AppendAsync(StreamId stream, ExpectedVersion expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        var result = await inner.AppendAsync(stream, expected, events, cancellationToken).ConfigureAwait(false);
        if (!result.AlreadyAppended && events.Any(e => e.Type == eventType))
        {
            beforeCrash(eventType, stream.Value);
            Environment.FailFast($"TEST HOOK Aggregator:Testing:CrashAfter={eventType}: dying after an append to {stream}");
        }

        return result;
    }
}
