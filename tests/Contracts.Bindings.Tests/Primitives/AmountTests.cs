using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Tests.Primitives;

public sealed class AmountTests
{
    [Fact]
    public void Wei_OutsideUInt256_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Wei(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Wei(BigInteger.One << 256));
        Assert.Equal((BigInteger.One << 256) - 1, new Wei((BigInteger.One << 256) - 1).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => Wei.FromGwei(1) - Wei.FromGwei(2));
    }

    [Fact]
    public void Wei_FromGweiAndEther_ScalesExactly()
    {
        Assert.Equal(new BigInteger(1_500_000_000), Wei.FromGwei(1.5m).Value);
        Assert.Equal(BigInteger.Parse("2000000000000000000", System.Globalization.CultureInfo.InvariantCulture), Wei.FromEther(2).Value);
    }

    [Fact]
    public void TokenAmount_FitsUInt128_AtTheBoundary()
    {
        Assert.True(new TokenAmount((BigInteger.One << 128) - 1).FitsUInt128);
        Assert.False(new TokenAmount(BigInteger.One << 128).FitsUInt128);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenAmount(-5));
    }
}
