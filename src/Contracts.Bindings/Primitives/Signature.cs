using SupplyOracle.Contracts.Bindings.Crypto;

namespace SupplyOracle.Contracts.Bindings.Primitives;

/// <summary>
/// An Ethereum ECDSA signature over secp256k1: <c>r</c>, <c>s</c> (32 bytes each, big-endian) and the recovery value
/// <c>v</c> in {27, 28} (the Yellow Paper's form, which docs/protocol.md section 6 and ecrecover use). Construction checks
/// that r and s are in [1, n-1] and v is 27 or 28; low <c>s</c> (EIP-2) is checked where a signature is verified.
/// </summary>
public readonly struct Signature : IEquatable<Signature>
{
    /// <summary>The size of the <c>r || s || v</c> encoding.</summary>
    public const int Size = 65;

    private readonly Hash32 _r, _s;

    /// <summary>Creates a signature, validating the ranges of r, s and v.</summary>
    /// <exception cref="InvalidSignatureException">r or s out of range, or v not 27/28.</exception>
    public Signature(Hash32 r, Hash32 s, byte v)
    {
        if (v is not (27 or 28))
        {
            throw new InvalidSignatureException(InvalidSignatureReason.BadRecoveryId, $"v must be 27 or 28, got {v}");
        }

        if (!Secp256k1.IsValidScalar(r))
        {
            throw new InvalidSignatureException(InvalidSignatureReason.ROutOfRange, "r must be in [1, n-1]");
        }

        if (!Secp256k1.IsValidScalar(s))
        {
            throw new InvalidSignatureException(InvalidSignatureReason.SOutOfRange, "s must be in [1, n-1]");
        }

        _r = r;
        _s = s;
        V = v;
    }

    /// <summary>r.</summary>
    public Hash32 R => _r;

    /// <summary>s.</summary>
    public Hash32 S => _s;

    /// <summary>v, 27 or 28.</summary>
    public byte V { get; }

    /// <summary>The recovery id, 0 or 1 (y parity of the nonce point).</summary>
    public int RecoveryId => V - 27;

    /// <summary>True when s is at most n/2 (EIP-2).</summary>
    public bool IsLowS => Secp256k1.IsLowS(_s);

    /// <summary>Reads 65 bytes <c>r || s || v</c>; v may also be given as 0/1 (it is then normalised to 27/28).</summary>
    /// <exception cref="InvalidSignatureException">wrong length or an invalid component.</exception>
    public static Signature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new InvalidSignatureException(InvalidSignatureReason.BadLength, $"a signature has 65 bytes, got {bytes.Length}");
        }

        var v = bytes[64];
        return new Signature(new Hash32(bytes[..32]), new Hash32(bytes[32..64]), v is 0 or 1 ? (byte)(v + 27) : v);
    }

    /// <summary>Parses 0x-prefixed hex of 65 bytes.</summary>
    public static Signature Parse(string hex) => FromBytes(Hex.Decode(hex));

    /// <summary>Writes <c>r || s || v</c> (65 bytes).</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"destination needs {Size} bytes", nameof(destination));
        }

        _r.CopyTo(destination);
        _s.CopyTo(destination[32..]);
        destination[64] = V;
    }

    /// <summary>The 65-byte <c>r || s || v</c> encoding.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>0x-prefixed hex of <c>r || s || v</c>.</summary>
    public override string ToString() => Hex.Encode(ToArray());

    /// <inheritdoc />
    public bool Equals(Signature other) => _r == other._r && _s == other._s && V == other.V;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Signature other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_r, _s, V);

    /// <summary>Equality.</summary>
    public static bool operator ==(Signature left, Signature right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Signature left, Signature right) => !left.Equals(right);
}
