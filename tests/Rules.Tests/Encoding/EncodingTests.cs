using System.Numerics;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Encoding;

/// <summary>The 60-byte observation and 45-byte update encodings of docs/protocol.md section 7, byte by byte.</summary>
public sealed class EncodingTests
{
    [Fact]
    public void ObservationEncode_OneEntry_LayoutIsTokenCirculatingFactorBigEndian()
    {
        var token = Address.Parse("0x00000000000000000000000000000000000000ab");
        var circulating = new TokenAmount((BigInteger.One << 255) + 0x0102);
        var bytes = ObservationEncoding.Encode([new TokenObservation(token, circulating, new Wad(0x0a0b))]);

        var expected = "00000000000000000000000000000000000000ab"
            + "8000000000000000000000000000000000000000000000000000000000000102"
            + "0000000000000a0b";
        Assert.Equal(expected, Convert.ToHexStringLower(bytes));
    }

    [Fact]
    public void UpdateEncode_OneEntry_LayoutIsTokenCirculatingFactorStatus()
    {
        var token = Address.Parse("0xff000000000000000000000000000000000000ab");
        var bytes = UpdateEncoding.Encode([new ReportUpdate(token, UInt128.MaxValue - 1, Wad.One, UpdateStatus.FrozenSupply)]);

        Assert.Equal(
            "ff000000000000000000000000000000000000ab" + "fffffffffffffffffffffffffffffffe" + "0de0b6b3a7640000" + "02",
            Convert.ToHexStringLower(bytes));
    }

    [Theory]
    [InlineData(59)]
    [InlineData(61)]
    [InlineData(119)]
    public void ObservationDecode_LengthNotMultipleOf60_Throws(int length)
    {
        var ex = Assert.Throws<MessageEncodingException>(() => ObservationEncoding.Decode(new byte[length]));
        Assert.Equal("length", ex.Field);
    }

    [Theory]
    [InlineData(44)]
    [InlineData(46)]
    [InlineData(89)]
    public void UpdateDecode_LengthNotMultipleOf45_Throws(int length)
    {
        var ex = Assert.Throws<MessageEncodingException>(() => UpdateEncoding.Decode(new byte[length]));
        Assert.Equal("length", ex.Field);
    }

    [Fact]
    public void Decode_Empty_NoEntries()
    {
        Assert.Empty(ObservationEncoding.Decode([]));
        Assert.Empty(UpdateEncoding.Decode([]));
    }

    [Fact]
    public void ObservationDecode_TokensNotAscending_ThrowsAtSecondEntry()
    {
        var bytes = ObservationEncoding.Encode([new TokenObservation(Token(1), new TokenAmount(5UL), Wad.One)]);
        var twice = bytes.Concat(bytes).ToArray();

        var ex = Assert.Throws<MessageEncodingException>(() => ObservationEncoding.Decode(twice));
        Assert.Equal(("token", 60), (ex.Field, ex.Offset));
    }

    [Theory]
    [InlineData(52, 0UL, "factor")]
    [InlineData(52, 1_000_000_000_000_000_001UL, "factor")]
    [InlineData(20, 0UL, "circulating")]
    public void ObservationDecode_FieldOutOfRange_ThrowsNamingField(int offset, ulong factor, string field)
    {
        var bytes = ObservationEncoding.Encode([new TokenObservation(Token(1), new TokenAmount(5UL), Wad.One)]);
        if (field == "factor")
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(52), factor);
        }
        else
        {
            bytes.AsSpan(20, 32).Clear();
        }

        var ex = Assert.Throws<MessageEncodingException>(() => ObservationEncoding.Decode(bytes));
        Assert.Equal((field, offset), (ex.Field, ex.Offset));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(255)]
    public void UpdateDecode_UnknownStatus_Throws(byte status)
    {
        var bytes = UpdateEncoding.Encode([new ReportUpdate(Token(1), 1, Wad.One, UpdateStatus.Commit)]);
        bytes[44] = status;

        var ex = Assert.Throws<MessageEncodingException>(() => UpdateEncoding.Decode(bytes));
        Assert.Equal(("status", 44), (ex.Field, ex.Offset));
    }

    [Fact]
    public void UpdateDecode_ZeroFactor_Throws()
    {
        var bytes = UpdateEncoding.Encode([new ReportUpdate(Token(1), 1, Wad.One, UpdateStatus.Commit)]);
        bytes.AsSpan(36, 8).Clear();

        Assert.Equal("factor", Assert.Throws<MessageEncodingException>(() => UpdateEncoding.Decode(bytes)).Field);
    }

    [Fact]
    public void Encode_TokensNotAscending_Throws()
    {
        var a = new ReportUpdate(Token(2), 1, Wad.One, UpdateStatus.Commit);
        var b = new ReportUpdate(Token(1), 1, Wad.One, UpdateStatus.Commit);
        Assert.Throws<ArgumentException>(() => UpdateEncoding.Encode([a, b]));
        var o = new TokenObservation(Token(1), new TokenAmount(1UL), Wad.One);
        Assert.Throws<ArgumentException>(() => ObservationEncoding.Encode([o, o]));
    }
}
