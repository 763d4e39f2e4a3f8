namespace SupplyOracle.EventStore.Streams;

/// <summary>
/// The name of an event stream (for example <c>round-42</c>): 1 to <see cref="MaxLength"/> characters, no control
/// characters and no surrounding white space, compared ordinally.
/// </summary>
public readonly record struct StreamId
{
    /// <summary>The longest stream name accepted.</summary>
    public const int MaxLength = 200;

    private readonly string? _value;

    /// <summary>Creates a stream id, checking its invariants.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long, padded with white space or holds a control character.</exception>
    public StreamId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length is 0 or > MaxLength)
        {
            throw new ArgumentException($"A stream id has 1 to {MaxLength} characters; got {value.Length}.", nameof(value));
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]))
        {
            throw new ArgumentException($"A stream id may not start or end with white space: '{value}'.", nameof(value));
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"A stream id may not hold control characters (U+{(int)c:X4}).", nameof(value));
            }
        }

        _value = value;
    }

    /// <summary>The stream name.</summary>
    /// <exception cref="InvalidOperationException">This is the default (uninitialised) value.</exception>
    public string Value => _value ?? throw new InvalidOperationException("An uninitialised StreamId has no value: create it with new StreamId(name).");

    /// <inheritdoc />
    public override string ToString() => _value ?? "<none>";
}
