using System.Collections.Concurrent;
using System.Text.Json;
using SupplyOracle.EventStore.Errors;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.EventStore.Serialization;

/// <summary>
/// Maps CLR event types to stable names (for example <c>round-opened.v1</c>) and back, and (de)serializes bodies with
/// System.Text.Json. Names, not CLR type names, are stored, so renaming or moving a class never breaks the log.
/// Register every type at start-up; the map is then safe to share between threads.
/// </summary>
public sealed class EventTypeMap
{
    private readonly ConcurrentDictionary<string, Type> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> _byType = new();
    private readonly JsonSerializerOptions _json;

    /// <summary>Creates an empty map using <paramref name="json"/> (default: <see cref="JsonSerializerDefaults.Web"/>).</summary>
    public EventTypeMap(JsonSerializerOptions? json = null)
    {
        _json = json ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    /// <summary>Maps <typeparamref name="T"/> to <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is invalid, or the name or the type is already mapped differently.</exception>
    public EventTypeMap Register<T>(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > EventData.MaxTypeLength || name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"An event type name has 1 to {EventData.MaxTypeLength} characters without white space; got '{name}'.", nameof(name));
        }

        var existingType = _byName.GetOrAdd(name, typeof(T));
        if (existingType != typeof(T))
        {
            throw new ArgumentException($"Event type name '{name}' is already mapped to {existingType.FullName}.", nameof(name));
        }

        var existingName = _byType.GetOrAdd(typeof(T), name);
        if (existingName != name)
        {
            throw new ArgumentException($"{typeof(T).FullName} is already mapped to '{existingName}'.", nameof(name));
        }

        return this;
    }

    /// <summary>The stable name of <paramref name="type"/>.</summary>
    /// <exception cref="UnknownEventTypeException">The type is not registered.</exception>
    public string NameOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _byType.TryGetValue(type, out var name) ? name : throw new UnknownEventTypeException($"CLR type {type.FullName}");
    }

    /// <summary>Serializes <paramref name="event"/> into an <see cref="EventData"/> under its stable name.</summary>
    /// <exception cref="UnknownEventTypeException">The event's type is not registered.</exception>
    public EventData ToEventData(object @event, Guid eventId, EventMetadata metadata = default)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        return new EventData(eventId, NameOf(type), JsonSerializer.Serialize(@event, type, _json), metadata);
    }

    /// <summary>Deserializes a stored event into the CLR type registered for its name.</summary>
    /// <exception cref="UnknownEventTypeException">No type is registered under the event's name.</exception>
    /// <exception cref="JsonException">The body does not fit the registered type.</exception>
    public object Deserialize(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (!_byName.TryGetValue(recorded.Type, out var type))
        {
            throw new UnknownEventTypeException($"stored name '{recorded.Type}'");
        }

        return JsonSerializer.Deserialize(recorded.Json, type, _json)
            ?? throw new JsonException($"Event {recorded.EventId} ('{recorded.Type}') has a null body.");
    }
}
