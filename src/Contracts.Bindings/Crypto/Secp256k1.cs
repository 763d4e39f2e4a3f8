using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using SupplyOracle.Contracts.Bindings.Primitives;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>
/// secp256k1 ECDSA as Ethereum uses it (SEC 1 v2 sections 4.1.3 and 4.1.6, RFC 6979 nonces, EIP-2 low s), on
/// BouncyCastle's custom secp256k1 curve (which multiplies with the GLV endomorphism).
/// </summary>
internal static class Secp256k1
{
    internal static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");
    internal static readonly ECCurve Curve = Parameters.Curve;
    internal static readonly ECPoint G = Parameters.G;
    internal static readonly BcBigInteger N = Parameters.N;
    internal static readonly BcBigInteger HalfN = N.ShiftRight(1);
    private static readonly FixedPointCombMultiplier s_baseMultiplier = new();

    // n as four big-endian words, for allocation-free range checks.
    private static readonly Hash32 s_n = new(N.ToByteArrayUnsigned());
    private static readonly Hash32 s_halfN = new(HalfN.ToByteArrayUnsigned());

    /// <summary>True when 0 &lt; value &lt; n.</summary>
    internal static bool IsValidScalar(Hash32 value) => value != Hash32.Zero && value < s_n;

    /// <summary>True when s &lt;= n/2 (EIP-2).</summary>
    internal static bool IsLowS(Hash32 s) => s <= s_halfN;

    internal static BcBigInteger ToBig(ReadOnlySpan<byte> bigEndian) => new(1, bigEndian.ToArray());

    internal static BcBigInteger ToBig(Hash32 value) => new(1, value.ToArray());

    internal static Hash32 ToHash(BcBigInteger value)
    {
        Span<byte> buffer = stackalloc byte[32];
        var bytes = value.ToByteArrayUnsigned();
        buffer.Clear();
        bytes.CopyTo(buffer[(32 - bytes.Length)..]);
        return new Hash32(buffer);
    }

    /// <summary>The uncompressed public key (64 bytes, no 0x04 prefix) of a private scalar.</summary>
    internal static byte[] PublicKey(BcBigInteger d)
    {
        var q = s_baseMultiplier.Multiply(G, d).Normalize();
        var encoded = q.GetEncoded(false);
        return encoded[1..];
    }

    /// <summary>
    /// Signs a 32-byte digest (SEC 1 section 4.1.3) with an RFC 6979 nonce (HMAC-SHA256), returns low s (EIP-2) and
    /// the recovery id of the nonce point (its y parity, flipped when s is negated).
    /// </summary>
    internal static Signature Sign(BcBigInteger d, Hash32 digest)
    {
        var digestBytes = digest.ToArray();
        var e = new BcBigInteger(1, digestBytes); // 256-bit hash, 256-bit order: no truncation (SEC 1 4.1.3 step 5)
        var kCalculator = new HMacDsaKCalculator(new Sha256Digest());
        kCalculator.Init(N, d, digestBytes);
        while (true)
        {
            var k = kCalculator.NextK();
            var p = s_baseMultiplier.Multiply(G, k).Normalize();
            var x = p.AffineXCoord.ToBigInteger();
            var r = x.Mod(N);
            if (r.SignValue == 0)
            {
                continue;
            }

            var s = k.ModInverse(N).Multiply(e.Add(d.Multiply(r))).Mod(N);
            if (s.SignValue == 0)
            {
                continue;
            }

            var recoveryId = (p.AffineYCoord.TestBitZero() ? 1 : 0) | (x.CompareTo(N) >= 0 ? 2 : 0);
            if (s.CompareTo(HalfN) > 0)
            {
                // EIP-2: use n - s; that signs with -k, whose point has the opposite y parity.
                s = N.Subtract(s);
                recoveryId ^= 1;
            }

            if (recoveryId > 1)
            {
                // x >= n happens with probability ~2^-128; Ethereum's v cannot express it, so draw the next nonce.
                continue;
            }

            return new Signature(ToHash(r), ToHash(s), (byte)(27 + recoveryId));
        }
    }

    /// <summary>
    /// Recovers the public key (64 bytes) per SEC 1 section 4.1.6: R from (r, y parity), Q = r^-1 (sR - eG).
    /// </summary>
    internal static void Recover(Hash32 digest, Signature signature, Span<byte> publicKey64)
    {
        Span<byte> compressed = stackalloc byte[33];
        compressed[0] = (byte)(signature.RecoveryId == 0 ? 0x02 : 0x03);
        signature.R.CopyTo(compressed[1..]);
        ECPoint rPoint;
        try
        {
            // r < n < p, so x = r (j = 0): Ethereum's v cannot express the j = 1 case.
            rPoint = Curve.DecodePoint(compressed.ToArray());
        }
        catch (ArgumentException ex)
        {
            throw new InvalidSignatureException(InvalidSignatureReason.NotRecoverable, $"r is not the x coordinate of a curve point: {ex.Message}");
        }

        var r = ToBig(signature.R);
        var s = ToBig(signature.S);
        var e = ToBig(digest);
        var rInverse = r.ModInverse(N);
        var u1 = N.Subtract(e).Multiply(rInverse).Mod(N); // -e / r
        var u2 = s.Multiply(rInverse).Mod(N); // s / r
        var q = ECAlgorithms.SumOfTwoMultiplies(G, u1, rPoint, u2).Normalize();
        if (q.IsInfinity)
        {
            throw new InvalidSignatureException(InvalidSignatureReason.NotRecoverable, "recovery gave the point at infinity");
        }

        WriteFixed(q.AffineXCoord.ToBigInteger(), publicKey64[..32]);
        WriteFixed(q.AffineYCoord.ToBigInteger(), publicKey64[32..64]);
    }

    /// <summary>The public key point of 64 uncompressed bytes (x || y), checked to be on the curve.</summary>
    internal static ECPoint DecodePublicKey(ReadOnlySpan<byte> publicKey64)
    {
        Span<byte> encoded = stackalloc byte[65];
        encoded[0] = 0x04;
        publicKey64.CopyTo(encoded[1..]);
        return Curve.DecodePoint(encoded.ToArray()).Normalize();
    }

    /// <summary>
    /// Verifies against a known public key (SEC 1 section 4.1.4) and also that the nonce point's y parity is the
    /// signature's recovery id, so that it accepts exactly what <see cref="Recover"/> maps to this key. It skips the
    /// square root of recovery, and the key's multiplication tables stay cached on <paramref name="q"/> between calls.
    /// </summary>
    internal static bool Verify(ECPoint q, Hash32 digest, Signature signature)
    {
        var r = ToBig(signature.R);
        var s = ToBig(signature.S);
        var e = ToBig(digest);
        var sInverse = s.ModInverse(N);
        var u1 = e.Multiply(sInverse).Mod(N);
        var u2 = r.Multiply(sInverse).Mod(N);
        var point = ECAlgorithms.SumOfTwoMultiplies(G, u1, q, u2).Normalize();
        if (point.IsInfinity)
        {
            return false;
        }

        // x(R) must equal r itself (not r + n: Ethereum's v cannot express that case, and recovery assumes j = 0).
        return point.AffineXCoord.ToBigInteger().Equals(r) && (point.AffineYCoord.TestBitZero() ? 1 : 0) == signature.RecoveryId;
    }

    private static void WriteFixed(BcBigInteger value, Span<byte> destination)
    {
        var bytes = value.ToByteArrayUnsigned();
        destination.Clear();
        bytes.CopyTo(destination[(destination.Length - bytes.Length)..]);
    }
}
