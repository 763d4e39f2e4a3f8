using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Rlp;

/// <summary>An RLP item (Yellow Paper appendix B): a byte string or a list of items.</summary>
public abstract record RlpItem
{
    private protected RlpItem()
    {
    }

    /// <summary>A byte string item.</summary>
    public static RlpString Bytes(ReadOnlySpan<byte> bytes) => new(bytes.ToArray());

    /// <summary>A scalar: big-endian without leading zeros (zero is the empty string), Yellow Paper eq. 188.</summary>
    public static RlpString UInt(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "RLP scalars are non-negative");
        }

        return new RlpString(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    /// <summary>An address as its 20 bytes.</summary>
    public static RlpString Of(Address address) => new(address.ToArray());

    /// <summary>A list.</summary>
    public static RlpList List(params RlpItem[] items) => new(items);
}

/// <summary>A byte string.</summary>
/// <param name="Value">The bytes.</param>
public sealed record RlpString(byte[] Value) : RlpItem
{
    /// <summary>The value as a canonical scalar.</summary>
    /// <exception cref="RlpException">a leading zero byte (not canonical).</exception>
    public BigInteger AsUInt()
    {
        if (Value.Length > 0 && Value[0] == 0)
        {
            throw new RlpException(RlpError.NonCanonicalInteger, -1, "a scalar has a leading zero byte");
        }

        return new BigInteger(Value, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The value as a scalar that fits 64 bits.</summary>
    public ulong AsUInt64()
    {
        var value = AsUInt();
        return value <= ulong.MaxValue ? (ulong)value : throw new RlpException(RlpError.Overflow, -1, "scalar does not fit 64 bits");
    }

    /// <inheritdoc />
    public bool Equals(RlpString? other) => other is not null && Value.AsSpan().SequenceEqual(other.Value);

    /// <inheritdoc />
    public override int GetHashCode() => Value.Length;

    /// <summary>Hex.</summary>
    public override string ToString() => Hex.Encode(Value);
}

/// <summary>A list of items.</summary>
/// <param name="Items">The items.</param>
public sealed record RlpList(IReadOnlyList<RlpItem> Items) : RlpItem
{
    /// <inheritdoc />
    public bool Equals(RlpList? other) => other is not null && Items.SequenceEqual(other.Items);

    /// <inheritdoc />
    public override int GetHashCode() => Items.Count;

    /// <summary>Bracketed items.</summary>
    public override string ToString() => $"[{string.Join(", ", Items)}]";
}

/// <summary>What is wrong with RLP input.</summary>
public enum RlpError
{
    /// <summary>The input ends inside an item.</summary>
    Truncated,

    /// <summary>Bytes follow the top-level item.</summary>
    TrailingBytes,

    /// <summary>A single byte below 0x80 encoded as a one-byte string, a long form for a short payload, or a length with leading zeros.</summary>
    NonCanonical,

    /// <summary>A scalar with a leading zero byte.</summary>
    NonCanonicalInteger,

    /// <summary>A length or scalar too large.</summary>
    Overflow,

    /// <summary>The item has another shape than expected (a list where a string is needed, a wrong field count).</summary>
    UnexpectedShape,
}

/// <summary>Malformed RLP; <see cref="Error"/> says what, <see cref="Offset"/> where.</summary>
public sealed class RlpException(RlpError error, int offset, string message)
    : Exception(offset >= 0 ? $"RLP at byte {offset}: {message}" : $"RLP: {message}")
{
    /// <summary>The kind of problem.</summary>
    public RlpError Error { get; } = error;

    /// <summary>The byte offset, or -1.</summary>
    public int Offset { get; } = offset;
}
