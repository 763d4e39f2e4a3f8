using SupplyOracle.Rules.Engine.Internal;

namespace SupplyOracle.Rules.Tests.Engine.Internal;

/// <summary>The arithmetic of docs/protocol.md section 5, steps 4 to 6, at every edge.</summary>
public sealed class RulesMathTests
{
    [Theory]
    [InlineData(new ulong[] { 7 }, 7UL)]
    [InlineData(new ulong[] { 300, 100, 200 }, 200UL)] // odd: the middle value after sorting
    [InlineData(new ulong[] { 5, 1, 9, 3, 7 }, 5UL)]
    [InlineData(new ulong[] { 200_000_000_000_000_001, 300_000_000_000_000_000 }, 250_000_000_000_000_000UL)] // even: floor of .5
    [InlineData(new ulong[] { 900, 100, 301, 200 }, 250UL)] // even: floor((200 + 301) / 2)
    [InlineData(new ulong[] { 1, 2 }, 1UL)]
    [InlineData(new ulong[] { 1_000_000_000_000_000_000, 1_000_000_000_000_000_000 }, 1_000_000_000_000_000_000UL)] // no overflow at 1e18
    [InlineData(new ulong[] { 999_999_999_999_999_999, 1_000_000_000_000_000_000 }, 999_999_999_999_999_999UL)]
    public void Median_OddAndEvenCounts_MiddleOrFlooredMeanOfMiddleTwo(ulong[] values, ulong expected)
    {
        Assert.Equal(expected, RulesMath.Median(values));
    }

    [Theory]
    [InlineData(1_000_000_000_000_000_000UL, 200u, 20_000_000_000_000_000UL)] // exact
    [InlineData(123_456_789UL, 200u, 2_469_136UL)] // 2,469,135.78 rounds up
    [InlineData(10_001UL, 1u, 2UL)] // 1.0001 rounds up
    [InlineData(10_000UL, 1u, 1UL)] // exact 1
    [InlineData(1UL, 1u, 1UL)] // 0.0001 rounds up to 1
    [InlineData(500UL, 0u, 0UL)] // zero tolerance: zero band
    [InlineData(1_000_000_000_000_000_000UL, 10_000u, 1_000_000_000_000_000_000UL)] // 1e22 intermediate, no overflow
    public void Band_ProductNotAMultipleOf10000_RoundsUp(ulong median, uint bps, ulong expected)
    {
        Assert.Equal(expected, RulesMath.Band(median, bps));
    }

    [Theory]
    [InlineData(333_333_333_333_333_333UL, 1_000u, 33_333_333_333_333_333UL)] // .3 dropped
    [InlineData(1UL, 9_999u, 0UL)]
    [InlineData(1_000_000_000_000_000_000UL, 10_000u, 1_000_000_000_000_000_000UL)]
    public void FloorBps_Always_RoundsDown(ulong value, uint bps, ulong expected)
    {
        Assert.Equal(expected, RulesMath.FloorBps(value, bps));
    }

    [Theory]
    // tier boundaries: exactly 0.1 uses 5e16, just below uses 1e16; exactly 0.01 uses 1e16, just below uses 1e15
    [InlineData(100_000_000_000_000_000UL, 100_000_000_000_000_000UL)]
    [InlineData(99_999_999_999_999_999UL, 100_000_000_000_000_000UL)] // tier 1e16: 9.9999 -> 10
    [InlineData(124_999_999_999_999_999UL, 100_000_000_000_000_000UL)] // tier 5e16 below the tie
    [InlineData(125_000_000_000_000_000UL, 150_000_000_000_000_000UL)] // tier 5e16 tie: half up
    [InlineData(94_999_999_999_999_999UL, 90_000_000_000_000_000UL)] // tier 1e16 below the tie (not 5e16: would be 1e17)
    [InlineData(10_000_000_000_000_000UL, 10_000_000_000_000_000UL)]
    [InlineData(14_999_999_999_999_999UL, 10_000_000_000_000_000UL)]
    [InlineData(15_000_000_000_000_000UL, 20_000_000_000_000_000UL)] // tier 1e16 tie: half up
    [InlineData(9_999_999_999_999_999UL, 10_000_000_000_000_000UL)] // tier 1e15: 9.999 -> 10
    [InlineData(9_400_000_000_000_000UL, 9_000_000_000_000_000UL)] // tier 1e15 (tier 1e16 would give 1e16)
    [InlineData(1_500_000_000_000_000UL, 2_000_000_000_000_000UL)] // tier 1e15 tie: half up
    [InlineData(1_499_999_999_999_999UL, 1_000_000_000_000_000UL)]
    // cap and top of range
    [InlineData(1_000_000_000_000_000_000UL, 1_000_000_000_000_000_000UL)]
    [InlineData(975_000_000_000_000_000UL, 1_000_000_000_000_000_000UL)]
    [InlineData(974_999_999_999_999_999UL, 950_000_000_000_000_000UL)]
    // zero becomes one tier
    [InlineData(1UL, 1_000_000_000_000_000UL)]
    [InlineData(499_999_999_999_999UL, 1_000_000_000_000_000UL)]
    [InlineData(500_000_000_000_000UL, 1_000_000_000_000_000UL)] // tie rounds up to one tier anyway
    public void TierRound_Boundaries_HalfUpCappedAndNeverZero(ulong median, ulong expected)
    {
        Assert.Equal(expected, RulesMath.TierRound(median));
    }

    [Theory]
    [InlineData(10UL, 4UL, 6UL, true)]
    [InlineData(9UL, 4UL, 6UL, false)]
    [InlineData(ulong.MaxValue, ulong.MaxValue, 1UL, false)] // the sum overflows uint64 and is still compared exactly
    [InlineData(ulong.MaxValue, ulong.MaxValue - 1, 1UL, true)]
    public void AtLeastSum_NearUInt64Max_ComparesWithoutOverflow(ulong a, ulong b, ulong c, bool expected)
    {
        Assert.Equal(expected, RulesMath.AtLeastSum(a, b, c));
    }
}
