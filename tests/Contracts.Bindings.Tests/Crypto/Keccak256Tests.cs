using FsCheck;
using FsCheck.Fluent;
using Org.BouncyCastle.Crypto.Digests;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Support;

namespace SupplyOracle.Contracts.Bindings.Tests.Crypto;

public sealed class Keccak256Tests
{
    [Fact]
    public void Hash_AnyInput_EqualsBouncyCastleKeccakDigest()
    {
        Prop.ForAll<byte[]>(data =>
        {
            var digest = new KeccakDigest(256);
            digest.BlockUpdate(data, 0, data.Length);
            var expected = new byte[32];
            digest.DoFinal(expected, 0);
            return Keccak256.Hash(data).ToArray().AsSpan().SequenceEqual(expected);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Hash_LengthsAroundTheRate_EqualsBouncyCastle()
    {
        var random = new Random(7);
        for (var length = 0; length < 3 * 136 + 2; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var digest = new KeccakDigest(256);
            digest.BlockUpdate(data, 0, data.Length);
            var expected = new byte[32];
            digest.DoFinal(expected, 0);
            Assert.Equal(Hex.Encode(expected), Keccak256.Hash(data).ToString());
        }
    }

    [Fact]
    public void Hash_RandomInputs_EqualsCastKeccak()
    {
        var random = new Random(11);
        var inputs = Enumerable.Range(0, 24).Select(i =>
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            return data;
        }).ToList();
        var cast = Tools.CastMany([.. inputs.Select(d => new[] { "keccak", Hex.Encode(d) })]);
        for (var i = 0; i < inputs.Count; i++)
        {
            Assert.Equal(cast[i], Keccak256.Hash(inputs[i]).ToString());
        }
    }
}
