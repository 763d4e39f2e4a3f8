using Marten;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>An event as Marten stored it, with its body as the JSON Marten wrote (camelCase System.Text.Json).</summary>
public sealed record RecordedEvent(string StreamId, long Version, long Position, string Type, string Json, object Data, DateTimeOffset Created);

/// <summary>Reads streams of the aggregator's Marten store in tests.</summary>
public static class StoredEvents
{
    /// <summary>Marten's events of <paramref name="stream"/>, oldest first.</summary>
    public static async Task<IReadOnlyList<JasperFx.Events.IEvent>> FetchStreamAsync(this IDocumentStore store, string stream)
    {
        await using var session = store.QuerySession();
        return await session.Events.FetchStreamAsync(stream);
    }

    /// <summary>The events of <paramref name="stream"/>, oldest first (Marten versions: 1, 2, ...).</summary>
    public static async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(this IDocumentStore store, string stream)
    {
        var events = await store.FetchStreamAsync(stream);
        var serializer = store.Options.Serializer();
        foreach (var e in events)
        {
            yield return new RecordedEvent(stream, e.Version, e.Sequence, e.EventTypeName, serializer.ToJson(e.Data), e.Data, e.Timestamp);
        }
    }

    /// <summary>Appends <paramref name="events"/> to <paramref name="stream"/> with no expectation.</summary>
    public static async Task AppendAsync(this IDocumentStore store, string stream, params object[] events)
    {
        await using var session = store.LightweightSession();
        session.Events.Append(stream, events);
        await session.SaveChangesAsync();
    }
}
