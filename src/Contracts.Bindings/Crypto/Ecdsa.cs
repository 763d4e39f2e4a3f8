using System.Collections.Concurrent;
using NBitcoin.Secp256k1;
using Nethereum.Signer;
using SupplyOracle.Contracts.Bindings.Internal;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>Signer recovery and verification (the off-chain <c>ecrecover</c>).</summary>
public static class Ecdsa
{
    private const int MaxCachedKeys = 4096;
    private static readonly ConcurrentDictionary<Address, ECPubKey> s_publicKeys = new();

    /// <summary>
    /// Recovers the signer of <paramref name="digest"/> (SEC 1 section 4.1.6) with Nethereum's
    /// <see cref="EthECKey.RecoverFromSignature(EthECDSASignature, byte[])"/> (NBitcoin.Secp256k1 underneath). High s is
    /// refused as EIP-2 and the contract require (PROTOCOL.md section 6), so a malleated signature never counts twice.
    /// </summary>
    /// <exception cref="InvalidSignatureException">high s, or no point for r.</exception>
    public static Address Recover(Hash32 digest, Signature signature)
    {
        if (!signature.IsLowS)
        {
            throw new InvalidSignatureException(InvalidSignatureReason.HighS, "s is above n/2 (EIP-2 requires low s)");
        }

        var key = EthECKey.RecoverFromSignature(NethereumConvert.ToEthSignature(signature), digest.ToArray())
            ?? throw new InvalidSignatureException(InvalidSignatureReason.NotRecoverable, "no public key recovers from this signature");
        return Address.FromPublicKey(key.GetPubKeyNoPrefix());
    }

    /// <summary>
    /// True when <paramref name="signature"/> is a valid low-s signature of <paramref name="digest"/> by
    /// <paramref name="signer"/>: exactly when <see cref="Recover"/> would return <paramref name="signer"/>. The first
    /// verification for a signer recovers its public key; later ones verify against the cached key (SEC 1 section
    /// 4.1.4). This is the one place that calls NBitcoin.Secp256k1 directly: Nethereum's <c>EthECKey.Verify</c>
    /// verifies with BouncyCastle's curve arithmetic (a second secp256k1 implementation, and slower: bench/crypto.sh).
    /// </summary>
    public static bool Verify(Hash32 digest, Signature signature, Address signer)
    {
        if (!signature.IsLowS)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[32];
        digest.CopyTo(hash);
        if (s_publicKeys.TryGetValue(signer, out var cached))
        {
            return SecpECDSASignature.TryCreateFromCompact(Compact(signature), out var sig) && cached.SigVerify(sig, hash);
        }

        Address recovered;
        ECPubKey? publicKey;
        try
        {
            if (!SecpRecoverableECDSASignature.TryCreateFromCompact(Compact(signature), signature.RecoveryId, out var recoverable)
                || !ECPubKey.TryRecover(Context.Instance, recoverable, hash, out publicKey))
            {
                return false;
            }

            Span<byte> uncompressed = stackalloc byte[65];
            publicKey.WriteToSpan(false, uncompressed, out _);
            recovered = Address.FromPublicKey(uncompressed[1..]);
        }
        catch (ArgumentException)
        {
            return false;
        }

        if (recovered != signer)
        {
            return false;
        }

        // The signer set is small (PROTOCOL.md section 8: at most 31 reporters); the bound keeps a flood of distinct
        // signers from growing the cache without limit.
        if (s_publicKeys.Count >= MaxCachedKeys)
        {
            s_publicKeys.Clear();
        }

        s_publicKeys.TryAdd(signer, publicKey);
        return true;
    }

    private static byte[] Compact(Signature signature)
    {
        var compact = new byte[64];
        signature.R.CopyTo(compact);
        signature.S.CopyTo(compact.AsSpan(32));
        return compact;
    }
}
