using System.Text.Json;

namespace SupplyOracle.EventStore.Streams;

/// <summary>
/// An event to append: its id (the idempotency key: appending the same ids again returns the first result), its stable
/// type name and its JSON body. Build one with <see cref="Serialization.EventTypeMap.ToEventData"/>.
/// </summary>
public sealed record EventData
{
    /// <summary>The longest event type name accepted.</summary>
    public const int MaxTypeLength = 200;

    /// <summary>Creates an event, checking its invariants.</summary>
    /// <exception cref="ArgumentException">An empty id, an empty or over-long type name, or an empty body.</exception>
    public EventData(Guid eventId, string type, string json, EventMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(json);
        if (eventId == Guid.Empty)
        {
            throw new ArgumentException("An event id may not be the empty GUID (it is the idempotency key).", nameof(eventId));
        }

        if (type.Length is 0 or > MaxTypeLength || type.Any(char.IsControl))
        {
            throw new ArgumentException($"An event type name has 1 to {MaxTypeLength} printable characters; got '{type}'.", nameof(type));
        }

        try
        {
            // Checked here so a bad body fails before anything is sent, with the event named.
            using var document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"The body of event {eventId} ('{type}') is not a JSON document: {e.Message}", nameof(json), e);
        }

        EventId = eventId;
        Type = type;
        Json = json;
        Metadata = metadata;
    }

    /// <summary>The event's unique id.</summary>
    public Guid EventId { get; }

    /// <summary>The stable type name (never a CLR type name).</summary>
    public string Type { get; }

    /// <summary>The body as JSON text (stored as <c>jsonb</c>).</summary>
    public string Json { get; }

    /// <summary>Correlation and causation.</summary>
    public EventMetadata Metadata { get; }
}
