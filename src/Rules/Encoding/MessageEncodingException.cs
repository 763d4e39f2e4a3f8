namespace SupplyOracle.Rules.Encoding;

/// <summary>
/// Thrown when bytes do not decode as the section 7 encoding they claim to be. <see cref="Offset"/> is the byte offset
/// of the offending entry or field, <see cref="Field"/> its name (e.g. <c>length</c>, <c>token</c>, <c>status</c>).
/// </summary>
public sealed class MessageEncodingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MessageEncodingException(string field, int offset, string message)
        : base($"{field} at byte {offset}: {message}")
    {
        Field = field;
        Offset = offset;
    }

    /// <summary>Creates the exception.</summary>
    public MessageEncodingException()
        : this("bytes", 0, "invalid encoding")
    {
    }

    /// <summary>Creates the exception.</summary>
    public MessageEncodingException(string message)
        : this("bytes", 0, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public MessageEncodingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "bytes";
    }

    /// <summary>The offending field.</summary>
    public string Field { get; }

    /// <summary>The byte offset of the offending field.</summary>
    public int Offset { get; }
}
