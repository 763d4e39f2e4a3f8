using Org.BouncyCastle.Crypto.Digests;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>
/// Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256; Yellow Paper appendix F),
/// from BouncyCastle's KeccakDigest.
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
        if (destination.Length < Size)
        {
            throw new ArgumentException($"destination needs {Size} bytes, has {destination.Length}", nameof(destination));
        }

        var digest = new KeccakDigest(256);
        // BouncyCastle 1.8 takes arrays; one copy of the input is the price of the portable package.
        var input = data.ToArray();
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[Size];
        digest.DoFinal(output, 0);
        output.CopyTo(destination);
    }
}
