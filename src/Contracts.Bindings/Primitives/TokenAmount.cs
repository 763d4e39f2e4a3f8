using System.Globalization;
using System.Numerics;

namespace SupplyOracle.Contracts.Bindings.Primitives;

/// <summary>
/// An amount in a token's native (raw <c>totalSupply</c>) units: a <c>uint256</c> off-chain, which must fit
/// <c>uint128</c> to go into a report (docs/protocol.md sections 2 and 7). Invariant: <c>0 &lt;= value &lt; 2^256</c>.
/// </summary>
public readonly struct TokenAmount : IEquatable<TokenAmount>, IComparable<TokenAmount>
{
    private static readonly BigInteger UInt256Limit = BigInteger.One << 256;
    private static readonly BigInteger UInt128Limit = BigInteger.One << 128;

    private readonly BigInteger _value;

    /// <summary>Creates an amount; throws <see cref="ArgumentOutOfRangeException"/> outside <c>[0, 2^256)</c>.</summary>
    public TokenAmount(BigInteger value)
    {
        if (value.Sign < 0 || value >= UInt256Limit)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "a token amount is a uint256: 0 <= value < 2^256");
        }

        _value = value;
    }

    /// <summary>Creates an amount from a uint128.</summary>
    public TokenAmount(UInt128 value) => _value = value;

    /// <summary>Zero.</summary>
    public static TokenAmount Zero => default;

    /// <summary>The largest uint256.</summary>
    public static TokenAmount MaxUInt256 => new(UInt256Limit - 1);

    /// <summary>The value.</summary>
    public BigInteger Value => _value;

    /// <summary>True for zero.</summary>
    public bool IsZero => _value.IsZero;

    /// <summary>True when the amount fits a report's uint128 circulating field (docs/protocol.md section 7).</summary>
    public bool FitsUInt128 => _value < UInt128Limit;

    /// <summary>The amount as a uint128; throws <see cref="OverflowException"/> when it does not fit.</summary>
    public UInt128 ToUInt128() => FitsUInt128 ? (UInt128)_value : throw new OverflowException($"{_value} does not fit uint128");

    /// <summary>Parses a decimal string of ASCII digits only (as carried in JSON strings); throws <see cref="FormatException"/> otherwise or beyond uint256.</summary>
    public static TokenAmount Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text.Length > 78 || !text.All(char.IsAsciiDigit))
        {
            throw new FormatException($"expected an unsigned decimal integer (digits only, at most 78), got '{(text.Length <= 80 ? text : text[..77] + "...")}'");
        }

        var value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return value < UInt256Limit ? new TokenAmount(value) : throw new FormatException($"'{text}' does not fit uint256");
    }

    /// <summary>The 32-byte big-endian uint256 encoding.</summary>
    public void WriteUInt256BigEndian(Span<byte> destination)
    {
        if (destination.Length != 32)
        {
            throw new ArgumentException($"a uint256 needs 32 bytes, got {destination.Length}", nameof(destination));
        }

        destination.Clear();
        var byteCount = _value.GetByteCount(isUnsigned: true);
        _value.TryWriteBytes(destination[(32 - byteCount)..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Reads a 32-byte big-endian uint256.</summary>
    public static TokenAmount ReadUInt256BigEndian(ReadOnlySpan<byte> source) =>
        source.Length == 32
            ? new TokenAmount(new BigInteger(source, isUnsigned: true, isBigEndian: true))
            : throw new ArgumentException($"a uint256 needs 32 bytes, got {source.Length}", nameof(source));

    /// <inheritdoc />
    public bool Equals(TokenAmount other) => _value.Equals(other._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TokenAmount other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(TokenAmount other) => _value.CompareTo(other._value);

    /// <summary>The value in decimal.</summary>
    public override string ToString() => _value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Equality.</summary>
    public static bool operator ==(TokenAmount left, TokenAmount right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(TokenAmount left, TokenAmount right) => !left.Equals(right);

    /// <summary>Order.</summary>
    public static bool operator <(TokenAmount left, TokenAmount right) => left.CompareTo(right) < 0;

    /// <summary>Order.</summary>
    public static bool operator >(TokenAmount left, TokenAmount right) => left.CompareTo(right) > 0;

    /// <summary>Order.</summary>
    public static bool operator <=(TokenAmount left, TokenAmount right) => left.CompareTo(right) <= 0;

    /// <summary>Order.</summary>
    public static bool operator >=(TokenAmount left, TokenAmount right) => left.CompareTo(right) >= 0;
}
