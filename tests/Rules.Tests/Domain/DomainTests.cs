using System.Numerics;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Domain;

public sealed class DomainTests
{
    [Fact]
    public void WadConstructor_AboveOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Wad(Wad.OneRaw + 1));
        Assert.False(Wad.TryCreate(Wad.OneRaw + 1, out _));
        Assert.True(Wad.TryCreate(Wad.OneRaw, out var one) && one == Wad.One);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1e18")]
    [InlineData(" 1")]
    [InlineData("1000000000000000001")]
    [InlineData("18446744073709551616")]
    public void WadParse_NotADigitStringInRange_Throws(string text)
    {
        Assert.Throws<FormatException>(() => Wad.Parse(text));
    }

    [Fact]
    public void TokenAmount_OutsideUInt256_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenAmount(BigInteger.One << 256));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenAmount(BigInteger.MinusOne));
        Assert.Equal((BigInteger.One << 256) - 1, TokenAmount.Parse(((BigInteger.One << 256) - 1).ToString()).Value);
        Assert.Throws<FormatException>(() => TokenAmount.Parse((BigInteger.One << 256).ToString()));
    }

    [Fact]
    public void TokenAmountToUInt128_AtAndAboveMax_FitsThenThrows()
    {
        var max = new TokenAmount(UInt128.MaxValue);
        Assert.True(max.FitsUInt128);
        Assert.Equal(UInt128.MaxValue, max.ToUInt128());
        var over = new TokenAmount(max.Value + 1);
        Assert.False(over.FitsUInt128);
        Assert.Throws<OverflowException>(() => over.ToUInt128());
    }

    [Fact]
    public void RoundIdReferenceBlock_Overflow_Throws()
    {
        Assert.Equal(3_000UL, new RoundId(10).ReferenceBlock(300));
        Assert.Throws<OverflowException>(() => new RoundId(ulong.MaxValue).ReferenceBlock(2));
    }

    [Fact]
    public void ObservationConstructors_ZeroCirculatingOrFactor_Throw()
    {
        // docs/protocol.md section 4, step 4: a reporter skips such a token, so no observation may carry it.
        Assert.Throws<ArgumentOutOfRangeException>(() => new Observation(Reporter(0), Token(1), TokenAmount.Zero, Wad.One));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Observation(Reporter(0), Token(1), new TokenAmount(1UL), Wad.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenObservation(Token(1), TokenAmount.Zero, Wad.One));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenObservation(Token(1), new TokenAmount(1UL), Wad.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReportUpdate(Token(1), 1, Wad.Zero, UpdateStatus.Commit));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReportUpdate(Token(1), 1, Wad.One, (UpdateStatus)3));
    }
}
