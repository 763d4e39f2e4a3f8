using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>Signer recovery and verification (the off-chain <c>ecrecover</c>).</summary>
public static class Ecdsa
{
    /// <summary>
    /// Recovers the signer of <paramref name="digest"/> (SEC 1 section 4.1.6). High s is refused as EIP-2 and the
    /// contract require (PROTOCOL.md section 6), so a malleated signature never counts twice.
    /// </summary>
    /// <exception cref="InvalidSignatureException">high s, or r not on the curve.</exception>
    public static Address Recover(Hash32 digest, Signature signature)
    {
        if (!signature.IsLowS)
        {
            throw new InvalidSignatureException(InvalidSignatureReason.HighS, "s is above n/2 (EIP-2 requires low s)");
        }

        Span<byte> publicKey = stackalloc byte[64];
        Secp256k1.Recover(digest, signature, publicKey);
        return Address.FromPublicKey(publicKey);
    }

    /// <summary>True when <paramref name="signature"/> is a valid low-s signature of <paramref name="digest"/> by <paramref name="signer"/>.</summary>
    public static bool Verify(Hash32 digest, Signature signature, Address signer)
    {
        try
        {
            return Recover(digest, signature) == signer;
        }
        catch (InvalidSignatureException)
        {
            return false;
        }
    }
}
