using Org.BouncyCastle.Crypto.Digests;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>
/// Keccak-256 as Ethereum uses it (original Keccak padding, Yellow Paper appendix F). The digest is the one
/// Nethereum.Util's <c>Sha3Keccack</c> runs (BouncyCastle's <see cref="KeccakDigest"/>), called here on spans so that
/// hashing a batch does not copy it into a new array first.
/// </summary>
public static class Keccak256
{
    /// <summary>The digest size in bytes.</summary>
    public const int Size = 32;

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public static Hash32 Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> output = stackalloc byte[Size];
        Hash(data, output);
        return new Hash32(output);
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/> (32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Size, nameof(destination));
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(data);
        digest.DoFinal(destination);
    }
}
