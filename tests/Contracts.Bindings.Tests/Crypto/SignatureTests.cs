using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Contracts.Bindings.Tests.Crypto;

public sealed class SignatureTests
{
    private static readonly Hash32 s_n = Hash32.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");

    [Fact]
    public void PrivateKey_AnvilDevKeys_GiveTheirAddresses()
    {
        foreach (var (address, key) in AnvilNode.DevAccounts)
        {
            Assert.Equal(address, PrivateKey.Parse(key).Address.ToString());
        }
    }

    [Fact]
    public void Sign_RandomKeysAndDigests_EqualsCastNoHashSignatures()
    {
        var random = new Random(21);
        var cases = Enumerable.Range(0, 40).Select(_ => (Key: RandomKey(random), Digest: RandomHash(random))).ToList();
        var cast = Tools.CastMany([.. cases.Select(c => new[] { "wallet", "sign", "--no-hash", "--private-key", Hex.Encode(c.Key.ExportBytes()), c.Digest.ToString() })]);
        for (var i = 0; i < cases.Count; i++)
        {
            var signature = cases[i].Key.Sign(cases[i].Digest);
            Assert.Equal(cast[i], signature.ToString());
            Assert.True(signature.IsLowS);
            Assert.Equal(cases[i].Key.Address, Ecdsa.Recover(cases[i].Digest, signature));
        }
    }

    [Fact]
    public void Recover_SignatureOfAnyDigest_GivesTheSigner()
    {
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[3].PrivateKey);
        Prop.ForAll<byte[]>(message =>
        {
            var digest = Keccak256.Hash(message);
            var signature = key.Sign(digest);
            return Ecdsa.Recover(digest, signature) == key.Address && Ecdsa.Verify(digest, signature, key.Address)
                && !Ecdsa.Verify(Keccak256.Hash(digest.ToArray()), signature, key.Address);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Verify_CachedKeyPath_AgreesWithRecoverOnValidAndTamperedSignatures()
    {
        var random = new Random(99);
        var keys = Enumerable.Range(0, 3).Select(_ => RandomKey(random)).ToArray();
        for (var i = 0; i < 60; i++)
        {
            var key = keys[i % keys.Length];
            var digest = RandomHash(random);
            var signature = key.Sign(digest);
            var flippedV = new Signature(signature.R, signature.S, (byte)(signature.V == 27 ? 28 : 27));
            var otherDigest = RandomHash(random);
            foreach (var (d, sig) in new[] { (digest, signature), (digest, flippedV), (otherDigest, signature) })
            {
                bool expected;
                try
                {
                    expected = Ecdsa.Recover(d, sig) == key.Address;
                }
                catch (InvalidSignatureException)
                {
                    expected = false;
                }

                Assert.Equal(expected, Ecdsa.Verify(d, sig, key.Address)); // after the first round the key is cached
            }

            Assert.True(Ecdsa.Verify(digest, signature, key.Address));
            Assert.False(Ecdsa.Verify(digest, signature, keys[(i + 1) % keys.Length].Address));
        }
    }

    [Fact]
    public void Recover_HighS_ThrowsHighS()
    {
        var key = PrivateKey.Parse(AnvilNode.DevAccounts[0].PrivateKey);
        var digest = Keccak256.Hash([1, 2, 3]);
        var signature = key.Sign(digest);
        var highS = new Signature(signature.R, Subtract(s_n, signature.S), (byte)(signature.V == 27 ? 28 : 27));
        var ex = Assert.Throws<InvalidSignatureException>(() => Ecdsa.Recover(digest, highS));
        Assert.Equal(InvalidSignatureReason.HighS, ex.Reason);
        Assert.False(Ecdsa.Verify(digest, highS, key.Address));
    }

    [Theory]
    [InlineData(26, InvalidSignatureReason.BadRecoveryId)]
    [InlineData(29, InvalidSignatureReason.BadRecoveryId)]
    public void FromBytes_BadV_ThrowsBadRecoveryId(byte v, InvalidSignatureReason reason)
    {
        var bytes = new byte[65];
        bytes[31] = 1;
        bytes[63] = 1;
        bytes[64] = v;
        Assert.Equal(reason, Assert.Throws<InvalidSignatureException>(() => Signature.FromBytes(bytes)).Reason);
    }

    [Fact]
    public void FromBytes_WrongLengthOrZeroR_ThrowsSpecificReason()
    {
        Assert.Equal(InvalidSignatureReason.BadLength, Assert.Throws<InvalidSignatureException>(() => Signature.FromBytes(new byte[64])).Reason);
        var zeroR = new byte[65];
        zeroR[63] = 1;
        zeroR[64] = 27;
        Assert.Equal(InvalidSignatureReason.ROutOfRange, Assert.Throws<InvalidSignatureException>(() => Signature.FromBytes(zeroR)).Reason);
        var sAtN = new byte[65];
        sAtN[31] = 1;
        s_n.CopyTo(sAtN.AsSpan(32));
        sAtN[64] = 28;
        Assert.Equal(InvalidSignatureReason.SOutOfRange, Assert.Throws<InvalidSignatureException>(() => Signature.FromBytes(sAtN)).Reason);
    }

    [Fact]
    public void Recover_RNotOnCurve_ThrowsNotRecoverable()
    {
        // x = 5 has no point on secp256k1 (5^3 + 7 = 132 is a non-residue mod p).
        var bytes = new byte[65];
        bytes[31] = 5;
        bytes[63] = 1;
        bytes[64] = 27;
        var ex = Assert.Throws<InvalidSignatureException>(() => Ecdsa.Recover(Hash32.Zero, Signature.FromBytes(bytes)));
        Assert.Equal(InvalidSignatureReason.NotRecoverable, ex.Reason);
    }

    [Fact]
    public void SignMessage_RandomMessages_EqualsCastAndEthersEip191()
    {
        var random = new Random(5);
        var key = RandomKey(random);
        var messages = Enumerable.Range(0, 20).Select(_ =>
        {
            var m = new byte[random.Next(1, 80)];
            random.NextBytes(m);
            return m;
        }).ToList();
        var cast = Tools.CastMany([.. messages.Select(m => new[] { "wallet", "sign", "--private-key", Hex.Encode(key.ExportBytes()), Hex.Encode(m) })]);
        var ethers = System.Text.Json.JsonDocument.Parse(Tools.Ethers(System.Text.Json.JsonSerializer.Serialize(new
        {
            kind = "message",
            cases = messages.Select(m => new { privateKey = Hex.Encode(key.ExportBytes()), message = Hex.Encode(m) }),
        }))).RootElement;
        for (var i = 0; i < messages.Count; i++)
        {
            var signature = key.SignMessage(messages[i]);
            Assert.Equal(cast[i], signature.ToString());
            Assert.Equal(ethers[i].GetProperty("digest").GetString(), PrivateKey.HashMessage(messages[i]).ToString());
            Assert.Equal(ethers[i].GetProperty("signature").GetString(), signature.ToString());
        }
    }

    [Fact]
    public void HashMessage_RandomTextMessages_EqualsCastHashMessage()
    {
        var random = new Random(191);
        var messages = Enumerable.Range(0, 12).Select(i => new string([.. Enumerable.Range(0, random.Next(1, 60)).Select(_ => "Supply oracle é€ 0123"[random.Next(0, 21)])])).ToList();
        var cast = Tools.CastMany([.. messages.Select(m => new[] { "hash-message", m })]);
        for (var i = 0; i < messages.Count; i++)
        {
            Assert.Equal(cast[i], PrivateKey.HashMessage(System.Text.Encoding.UTF8.GetBytes(messages[i])).ToString());
        }
    }

    internal static PrivateKey RandomKey(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        bytes[0] &= 0x7f;
        bytes[31] |= 1;
        return PrivateKey.FromBytes(bytes);
    }

    internal static Hash32 RandomHash(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash32(bytes);
    }

    private static Hash32 Subtract(Hash32 a, Hash32 b)
    {
        var x = new System.Numerics.BigInteger(a.ToArray(), isUnsigned: true, isBigEndian: true)
            - new System.Numerics.BigInteger(b.ToArray(), isUnsigned: true, isBigEndian: true);
        var bytes = new byte[32];
        x.TryWriteBytes(bytes.AsSpan(32 - x.GetByteCount(true)), out _, true, true);
        return new Hash32(bytes);
    }
}
