namespace SupplyOracle.Contracts.Bindings.Abi;

/// <summary>A value does not fit its ABI type (encoding) or ABI data is malformed (decoding).</summary>
public sealed class AbiException(string type, int offset, string message)
    : Exception(offset >= 0 ? $"{type} at byte {offset}: {message}" : $"{type}: {message}")
{
    /// <summary>The canonical ABI type being encoded or decoded.</summary>
    public string Type { get; } = type;

    /// <summary>The byte offset in the data being decoded, or -1 when encoding.</summary>
    public int Offset { get; } = offset;
}
