using System.Buffers.Binary;
using SupplyOracle.Contracts.Bindings.Crypto;

namespace SupplyOracle.Contracts.Bindings.Primitives;

/// <summary>
/// A 20-byte Ethereum address. Ordered as an unsigned 160-bit integer (docs/protocol.md section 2: "sorted" means strictly
/// ascending by that order). Printed with EIP-55 mixed-case checksums; parsing rejects a mixed-case string whose
/// checksum is wrong.
/// </summary>
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    /// <summary>The size in bytes.</summary>
    public const int Size = 20;

    private readonly uint _hi; // bytes 0..3
    private readonly ulong _mid, _lo; // bytes 4..11, 12..19

    /// <summary>Creates an address from exactly 20 bytes.</summary>
    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"an address needs 20 bytes, got {bytes.Length}", nameof(bytes));
        }

        _hi = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        _mid = BinaryPrimitives.ReadUInt64BigEndian(bytes[4..]);
        _lo = BinaryPrimitives.ReadUInt64BigEndian(bytes[12..]);
    }

    /// <summary>The zero address.</summary>
    public static Address Zero => default;

    /// <summary>True for the zero address.</summary>
    public bool IsZero => _hi == 0 && _mid == 0 && _lo == 0;

    /// <summary>
    /// Parses 40 hex digits with or without 0x. All-lower or all-upper input is accepted as is; mixed case must carry
    /// a valid EIP-55 checksum.
    /// </summary>
    public static Address Parse(string text)
    {
        if (!TryParseCore(text, out var address, out var error))
        {
            throw new FormatException(error);
        }

        return address;
    }

    /// <summary>Parses like <see cref="Parse"/> without throwing.</summary>
    public static bool TryParse(string? text, out Address address) => TryParseCore(text, out address, out _);

    /// <summary>The address of a public key: the last 20 bytes of keccak256 of the 64-byte uncompressed key (Yellow Paper eq. 284).</summary>
    public static Address FromPublicKey(ReadOnlySpan<byte> uncompressedPublicKey64)
    {
        if (uncompressedPublicKey64.Length != 64)
        {
            throw new ArgumentException($"an uncompressed public key without prefix has 64 bytes, got {uncompressedPublicKey64.Length}");
        }

        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(uncompressedPublicKey64, hash);
        return new Address(hash[12..]);
    }

    /// <summary>Writes the 20 bytes into <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[4..], _mid);
        BinaryPrimitives.WriteUInt64BigEndian(destination[12..], _lo);
    }

    /// <summary>The 20 bytes.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>EIP-55 checksummed form, 0x-prefixed.</summary>
    public string ToChecksumString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        var lower = Convert.ToHexStringLower(bytes);
        return "0x" + Checksum(lower);
    }

    /// <summary>EIP-55 checksummed form.</summary>
    public override string ToString() => ToChecksumString();

    /// <inheritdoc />
    public bool Equals(Address other) => _hi == other._hi && _mid == other._mid && _lo == other._lo;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_hi, _mid, _lo);

    /// <summary>Compares as unsigned 160-bit integers.</summary>
    public int CompareTo(Address other)
    {
        var c = _hi.CompareTo(other._hi);
        if (c != 0) return c;
        c = _mid.CompareTo(other._mid);
        return c != 0 ? c : _lo.CompareTo(other._lo);
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(Address left, Address right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    /// <summary>Numeric comparison.</summary>
    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;

    /// <summary>Numeric comparison.</summary>
    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;

    /// <summary>Numeric comparison.</summary>
    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;

    /// <summary>Numeric comparison.</summary>
    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;

    // EIP-55: hex digit i is upper-cased when nibble i of keccak256(lowercase hex as ASCII) is >= 8.
    private static string Checksum(string lowerHex)
    {
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(lowerHex), hash);
        var chars = lowerHex.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var nibble = (i % 2 == 0 ? hash[i / 2] >> 4 : hash[i / 2]) & 0xF;
            if (nibble >= 8 && chars[i] is >= 'a' and <= 'f')
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
    }

    private static bool TryParseCore(string? text, out Address address, out string error)
    {
        address = default;
        if (text is null)
        {
            error = "address is null";
            return false;
        }

        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        if (digits.Length != 40)
        {
            error = $"an address needs 40 hex digits, got {digits.Length}: '{text}'";
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            error = $"address is not hex: '{text}'";
            return false;
        }

        var hasLower = digits.Any(char.IsAsciiLetterLower);
        var hasUpper = digits.Any(char.IsAsciiLetterUpper);
        if (hasLower && hasUpper && Checksum(digits.ToLowerInvariant()) != digits)
        {
            error = $"address has an invalid EIP-55 checksum: '{text}'";
            return false;
        }

        address = new Address(bytes);
        error = "";
        return true;
    }
}
