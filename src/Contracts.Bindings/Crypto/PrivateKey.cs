using System.Security.Cryptography;
using SupplyOracle.Contracts.Bindings.Primitives;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>
/// A secp256k1 private key with its Ethereum address. Signs digests deterministically (RFC 6979) with low s (EIP-2).
/// Never printed: <see cref="ToString"/> shows the address only.
/// </summary>
public sealed class PrivateKey
{
    private readonly BcBigInteger _d;
    private readonly byte[] _publicKey;

    private PrivateKey(BcBigInteger d)
    {
        _d = d;
        _publicKey = Secp256k1.PublicKey(d);
        Address = Primitives.Address.FromPublicKey(_publicKey);
    }

    /// <summary>The address of the key (Yellow Paper eq. 284).</summary>
    public Address Address { get; }

    /// <summary>The uncompressed public key without the 0x04 prefix (64 bytes).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>A key from 32 big-endian bytes in [1, n-1].</summary>
    /// <exception cref="ArgumentException">wrong length or out of range.</exception>
    public static PrivateKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32)
        {
            throw new ArgumentException($"a private key has 32 bytes, got {bytes.Length}", nameof(bytes));
        }

        if (!Secp256k1.IsValidScalar(new Hash32(bytes)))
        {
            throw new ArgumentException("a private key must be in [1, n-1] of secp256k1", nameof(bytes));
        }

        return new PrivateKey(Secp256k1.ToBig(bytes));
    }

    /// <summary>A key from 64 hex digits (0x optional).</summary>
    public static PrivateKey Parse(string hex) => FromBytes(Hex.Decode(hex));

    /// <summary>A new random key from the operating system's CSPRNG.</summary>
    public static PrivateKey Generate()
    {
        Span<byte> bytes = stackalloc byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            if (Secp256k1.IsValidScalar(new Hash32(bytes)))
            {
                return FromBytes(bytes);
            }
        }
    }

    /// <summary>The 32 secret bytes (for a keystore); handle with care.</summary>
    public byte[] ExportBytes() => Secp256k1.ToHash(_d).ToArray();

    /// <summary>Signs a 32-byte digest: RFC 6979 nonce, low s (EIP-2), v in {27, 28}.</summary>
    public Signature Sign(Hash32 digest) => Secp256k1.Sign(_d, digest);

    /// <summary>Signs an EIP-191 version 0x45 ("personal_sign") message.</summary>
    public Signature SignMessage(ReadOnlySpan<byte> message) => Sign(Eip191.HashMessage(message));

    /// <summary>Shows the address only.</summary>
    public override string ToString() => $"PrivateKey({Address})";
}
