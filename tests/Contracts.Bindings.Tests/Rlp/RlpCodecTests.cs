using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Rlp;
using SupplyOracle.Contracts.Bindings.Tests.Support;

namespace SupplyOracle.Contracts.Bindings.Tests.Rlp;

public sealed class RlpCodecTests
{
    [Fact]
    public void Encode_RandomItems_EqualsCastToRlpAndFromRlp()
    {
        var random = new Random(3);
        var items = Enumerable.Range(0, 30).Select(_ => RandomItem(random, 0)).Where(i => i is RlpList).ToList();
        var toRlp = Tools.CastMany([.. items.Select(i => new[] { "to-rlp", ToJson(i).ToJsonString() })]);
        var fromRlp = Tools.CastMany([.. items.Select(i => new[] { "from-rlp", Hex.Encode(RlpCodec.Encode(i)) })]);
        for (var i = 0; i < items.Count; i++)
        {
            Assert.Equal(toRlp[i], Hex.Encode(RlpCodec.Encode(items[i])));
            Assert.True(JsonNode.DeepEquals(ToJson(items[i]), JsonNode.Parse(fromRlp[i])), $"cast from-rlp gave {fromRlp[i]}");
        }
    }

    [Fact]
    public void Decode_EncodedRandomItem_RoundTrips()
    {
        Prop.ForAll<int>(seed =>
        {
            var item = RandomItem(new Random(seed), 0);
            return RlpCodec.Decode(RlpCodec.Encode(item)).Equals(item);
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("0x8105", RlpError.NonCanonical)] // single byte < 0x80 wrapped
    [InlineData("0xb800", RlpError.NonCanonical)] // long form for a short string
    [InlineData("0xb90000", RlpError.NonCanonical)] // length with a leading zero
    [InlineData("0x83aabb", RlpError.Truncated)]
    [InlineData("0xc3aabb", RlpError.Truncated)]
    [InlineData("0x0102", RlpError.TrailingBytes)]
    [InlineData("0x", RlpError.Truncated)]
    [InlineData("0xc20182", RlpError.Truncated)] // a child runs past its list
    public void Decode_MalformedOrNonCanonical_ThrowsWithError(string hex, RlpError error)
    {
        Assert.Equal(error, Assert.Throws<RlpException>(() => RlpCodec.Decode(Hex.Decode(hex))).Error);
    }

    [Fact]
    public void AsUInt_LeadingZero_ThrowsNonCanonicalInteger()
    {
        var item = (RlpString)RlpCodec.Decode(Hex.Decode("0x820001"));
        Assert.Equal(RlpError.NonCanonicalInteger, Assert.Throws<RlpException>(() => item.AsUInt()).Error);
    }

    private static RlpItem RandomItem(Random random, int depth)
    {
        if (depth < 3 && random.Next(3) == 0)
        {
            return new RlpList([.. Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomItem(random, depth + 1))]);
        }

        var length = random.Next(4) switch
        {
            0 => 0,
            1 => 1,
            2 => random.Next(2, 56),
            _ => random.Next(56, 300),
        };
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return new RlpString(bytes);
    }

    private static JsonNode ToJson(RlpItem item) => item switch
    {
        RlpString s => JsonValue.Create(Hex.Encode(s.Value)),
        RlpList l => new JsonArray([.. l.Items.Select(ToJson)]),
        _ => throw new ArgumentOutOfRangeException(nameof(item)),
    };
}
