using SupplyOracle.Governance.Oracle;
using SupplyOracle.Governance.Tests.Support;

namespace SupplyOracle.Governance.Tests.Oracle;

public sealed class ParamRulesTests
{
    [Fact]
    public void Check_Defaults_NoViolation() => Assert.Empty(ParamRules.Check(Deployment.DefaultParams, reporters: 1));

    [Fact]
    public void Check_HeartbeatAboveHalfTheStaleAge_NamesTheRangeWithItsFigures()
    {
        var violation = Assert.Single(ParamRules.Check(Deployment.DefaultParams with { Heartbeat = 43_201 }, reporters: 1));

        Assert.Equal("heartbeat", violation.Name);
        Assert.Equal("minCommitInterval ..= reportStaleAfter / 2 (1m (60 s) ..= 12h (43200 s))", violation.Allowed);
    }

    [Fact]
    public void Check_MinReportersAboveTheReporterCount_Violation()
    {
        var violation = Assert.Single(ParamRules.Check(Deployment.DefaultParams with { MinReporters = 2 }, reporters: 1));

        Assert.Equal("1 ..= the number of reporters (1)", violation.Allowed);
    }

    [Theory]
    [InlineData(200UL, "Bps", "2% (200 bps)")]
    [InlineData(3600UL, "Seconds", "1h (3600 s)")]
    [InlineData(300UL, "Blocks", "300 blocks")]
    public void Display_Value_InItsUnit(ulong value, string unit, string expected) =>
        Assert.Equal(expected, ParamRules.Display(value, Enum.Parse<ParamUnit>(unit)));
}
