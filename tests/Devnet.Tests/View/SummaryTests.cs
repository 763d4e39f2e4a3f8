using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.Monitoring;
using SupplyOracle.Devnet.View;

namespace SupplyOracle.Devnet.Tests.View;

public sealed class SummaryTests
{
    private static readonly Hash32 s_tx = new(Enumerable.Repeat((byte)0xab, 32).ToArray());

    [Fact]
    public void Lines_ThreeCommits_LastLineIsExactlyCommittedRounds3()
    {
        var commits = new[]
        {
            new CommitRecord(31, 1_700_000_310, 313, s_tx, 182_345, 4, 0, 0),
            new CommitRecord(32, 1_700_000_320, 323, s_tx, 95_012, 3, 1, 0),
            new CommitRecord(33, 1_700_003_930, 333, s_tx, 96_100, 4, 0, 0),
        };
        var tokens = new[]
        {
            new TokenStatus("AUR", TokenPlan.Derive("AUR", "token"), 18, true, 800_000_000_000_000_000, BigInteger.Parse("410000000000000000000000000"), 1_700_003_930, false, false, false),
            new TokenStatus("CND", TokenPlan.Derive("CND", "token"), 8, true, 850_000_000_000_000_000, 525_000_000_000_000, 1_700_000_320, true, false, false),
        };

        var lines = Summary.Lines(commits, tokens, ["governance: proposal 23 executed"]);

        Assert.Equal("committed rounds: 3", lines[^1]);
        Assert.Contains(lines, l => l.Contains("   32", StringComparison.Ordinal) && l.Contains("95,012", StringComparison.Ordinal) && l.Contains(s_tx.ToString(), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("AUR", StringComparison.Ordinal) && l.Contains("0.800000", StringComparison.Ordinal) && l.Contains("410,000,000", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("CND", StringComparison.Ordinal) && l.Contains("frozen", StringComparison.Ordinal) && l.Contains("5,250,000", StringComparison.Ordinal));
        Assert.Contains("  governance: proposal 23 executed", lines);
    }

    [Fact]
    public void Lines_RoundsLeftOutByCommitPolicy_ListedBeforeTheLastLine()
    {
        var commits = new[] { new CommitRecord(31, 1_700_000_310, 313, s_tx, 182_345, 4, 0, 0), new CommitRecord(34, 1_700_000_340, 343, s_tx, 95_012, 4, 0, 0) };
        var skips = new Dictionary<ulong, IReadOnlyList<string>> { [32] = ["AUR Unchanged", "BDY Unchanged"], [33] = ["AUR Unchanged"], [35] = ["CND StillFrozen"] };

        var lines = Summary.Lines(commits, [], [], skips);

        Assert.Contains("  round 32: left out by the commit policy: AUR Unchanged, BDY Unchanged", lines);
        Assert.Contains("  round 33: left out by the commit policy: AUR Unchanged", lines);
        Assert.DoesNotContain(lines, l => l.Contains("round 35", StringComparison.Ordinal)); // after the last counted commit
        Assert.Equal("committed rounds: 2", lines[^1]);
    }

    [Fact]
    public void Lines_NoCommit_EndsWithCommittedRounds0()
    {
        Assert.Equal("committed rounds: 0", Summary.Lines([], [], [])[^1]);
    }

    [Theory]
    [InlineData(1_000_000_000_000_000_000UL, "1.000000")]
    [InlineData(800_000_000_000_000_000UL, "0.800000")]
    [InlineData(1UL, "0.000000")]
    [InlineData(123_456_789_000_000_000UL, "0.123456")]
    public void Factor_Wad_PrintsSixDecimalsTruncated(ulong wad, string expected) => Assert.Equal(expected, Format.Factor(wad));

    [Theory]
    [InlineData(59UL, "59s")]
    [InlineData(61UL, "1m 01s")]
    [InlineData(3_725UL, "1h 02m")]
    [InlineData(1_209_600UL, "14d 00h")]
    public void Age_Seconds_PrintsReadably(ulong seconds, string expected) => Assert.Equal(expected, Format.Age(seconds));

    [Fact]
    public void Status_Flags_MapToFreshFrozenStaleUncommitted()
    {
        TokenStatus Status(bool initialized, bool frozen, bool stale) => new("T", default, 18, initialized, 1, 1, 0, frozen, stale, false);
        Assert.Equal("uncommitted", Status(false, false, false).Status);
        Assert.Equal("frozen", Status(true, true, true).Status);
        Assert.Equal("stale", Status(true, false, true).Status);
        Assert.Equal("fresh", Status(true, false, false).Status);
    }
}
