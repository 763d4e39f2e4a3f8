using Nethereum.Signer;
using SupplyOracle.Contracts.Bindings.Internal;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>Signer recovery and verification (the off-chain <c>ecrecover</c>).</summary>
public static class Ecdsa
{
    // Nethereum recovers through NBitcoin.Secp256k1 only in its "recoverable" mode (otherwise BouncyCastle's curve).
    static Ecdsa() => EthECKey.SignRecoverable = true;

    /// <summary>
    /// Recovers the signer of <paramref name="digest"/> (SEC 1 section 4.1.6) with Nethereum's
    /// <see cref="EthECKey.RecoverFromSignature(EthECDSASignature, byte[])"/> (NBitcoin.Secp256k1 underneath). High s is
    /// refused as EIP-2 and the contract require (docs/protocol.md section 6), so a malleated signature never counts twice.
    /// </summary>
    /// <exception cref="InvalidSignatureException">high s, or no point for r.</exception>
    public static Address Recover(Hash32 digest, Signature signature)
    {
        if (!signature.IsLowS)
        {
            throw new InvalidSignatureException(InvalidSignatureReason.HighS, "s is above n/2 (EIP-2 requires low s)");
        }

        EthECKey? key;
        try
        {
            key = EthECKey.RecoverFromSignature(NethereumConvert.ToEthSignature(signature), digest.ToArray());
        }
        catch (Exception ex) when (ex is ArgumentException or NullReferenceException or InvalidOperationException)
        {
            key = null; // NBitcoin found no point for r (Nethereum dereferences the missing key)
        }

        return key is null
            ? throw new InvalidSignatureException(InvalidSignatureReason.NotRecoverable, "no public key recovers from this signature")
            : Address.FromPublicKey(key.GetPubKeyNoPrefix());
    }

    /// <summary>
    /// True when <paramref name="signature"/> is a valid low-s signature of <paramref name="digest"/> by
    /// <paramref name="signer"/>: exactly when <see cref="Recover"/> returns <paramref name="signer"/> (v included, which
    /// a plain ECDSA verification against the public key would ignore).
    /// </summary>
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
