using SupplyOracle.Rules.Engine.Internal;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Engine.Internal;

public sealed class SupplyBaseTests
{
    [Theory]
    [InlineData(new ulong[] { 100, 100, 200, 200 }, 100UL, 2)] // tie: the smaller value
    [InlineData(new ulong[] { 200, 200, 100, 100 }, 100UL, 2)] // order does not matter
    [InlineData(new ulong[] { 300, 200, 100 }, 100UL, 1)] // all different: the smallest
    [InlineData(new ulong[] { 200, 200, 200, 100 }, 200UL, 3)] // the mode beats a smaller value
    [InlineData(new ulong[] { 5, 9, 9, 5, 7, 7 }, 5UL, 2)] // three-way tie
    public void Find_Values_ModeWithTiesToSmaller(ulong[] circulating, ulong expected, int expectedCount)
    {
        var token = Token(1);
        var observations = circulating.Select((c, i) => Obs(i, token, One / 2, c)).ToArray();

        var (value, count, disagreeing) = SupplyBase.Find(observations);

        Assert.Equal(new TokenAmount((UInt128)expected), value);
        Assert.Equal(expectedCount, count);
        var expectedDisagreeing = circulating.Select((c, i) => (c, i)).Where(x => x.c != expected).Select(x => Reporter(x.i));
        Assert.Equal(expectedDisagreeing.Order(), disagreeing);
    }
}
