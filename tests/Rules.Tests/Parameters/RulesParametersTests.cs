using SupplyOracle.Rules.Parameters;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Parameters;

/// <summary>The validation rules of docs/protocol.md section 8.</summary>
public sealed class RulesParametersTests
{
    public static TheoryData<string, string> Invalid => new()
    {
        { "roundBlocks", "parameters.roundBlocks" },
        { "minReporters0", "parameters.minReporters" },
        { "minReportersAboveCount", "parameters.minReporters" },
        { "divergence", "parameters.divergenceToleranceBps" },
        { "interval", "parameters.minCommitInterval" },
        { "step0", "parameters.maxFactorDeltaBps" },
        { "step10001", "parameters.maxFactorDeltaBps" },
        { "window", "parameters.window" },
        { "wstep0", "parameters.maxWindowDeltaBps" },
        { "wstep10001", "parameters.maxWindowDeltaBps" },
        { "commitAge", "parameters.maxCommitAge" },
        { "reportAge0", "parameters.maxReportAgeBlocks" },
        { "reportAge257", "parameters.maxReportAgeBlocks" },
        { "zeroReporter", "parameters.reporters[1]" },
        { "duplicateReporter", "parameters.reporters[2]" },
        { "tooManyReporters", "parameters.reporters" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_RuleBroken_ThrowsNamingParameter(string broken, string field)
    {
        var p = Params();
        p = broken switch
        {
            "roundBlocks" => p with { RoundBlocks = 0 },
            "minReporters0" => p with { MinReporters = 0 },
            "minReportersAboveCount" => p with { MinReporters = 6 },
            "divergence" => p with { DivergenceToleranceBps = 10_001 },
            "interval" => p with { MinCommitInterval = 0 },
            "step0" => p with { MaxFactorDeltaBps = 0 },
            "step10001" => p with { MaxFactorDeltaBps = 10_001 },
            "window" => p with { Window = 0 },
            "wstep0" => p with { MaxWindowDeltaBps = 0 },
            "wstep10001" => p with { MaxWindowDeltaBps = 10_001 },
            "commitAge" => p with { MaxCommitAge = p.ReportStaleAfter - 1 },
            "reportAge0" => p with { MaxReportAgeBlocks = 0 },
            "reportAge257" => p with { MaxReportAgeBlocks = 257 },
            "zeroReporter" => p with { Reporters = [Reporter(0), Address.Zero, Reporter(1)] },
            "duplicateReporter" => p with { Reporters = [Reporter(0), Reporter(1), Reporter(0)] },
            _ => p with { Reporters = Reporters(32) },
        };

        var ex = Assert.Throws<RulesInputException>(p.Validate);

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Validate_ExtremesOfEveryRange_Accepted()
    {
        var p = new RulesParameters
        {
            Reporters = Reporters(31),
            MinReporters = 31,
            RoundBlocks = 1,
            DivergenceToleranceBps = 10_000,
            MinCommitInterval = 1,
            MaxFactorDeltaBps = 10_000,
            Window = 1,
            MaxWindowDeltaBps = 1,
            ReportStaleAfter = 5,
            MaxCommitAge = 5,
            MaxReportAgeBlocks = 1,
        };

        p.Validate();
        (p with { MinReporters = 1, DivergenceToleranceBps = 0, MaxFactorDeltaBps = 1, MaxWindowDeltaBps = 10_000, MaxReportAgeBlocks = 256 }).Validate();
    }

    [Fact]
    public void Constructor_NothingSet_Section8Defaults()
    {
        var p = new RulesParameters();
        Assert.Equal((300UL, 3, 200u, 3_600UL, 1_000u, 86_400UL, 2_500u, 86_400UL, 2_592_000UL, 256UL),
            (p.RoundBlocks, p.MinReporters, p.DivergenceToleranceBps, p.MinCommitInterval, p.MaxFactorDeltaBps, p.Window,
             p.MaxWindowDeltaBps, p.ReportStaleAfter, p.MaxCommitAge, p.MaxReportAgeBlocks));
    }
}
