using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Engine;

/// <summary>docs/protocol.md section 5, read literally, one rule at a time.</summary>
public sealed partial class RulesEngineTests
{
    private const ulong Half = One / 2;
    private static readonly Address T = Token(1);

    [Fact]
    public void Evaluate_FewerObservationsThanMinReporters_NoQuorumLeftOut()
    {
        var outcome = Outcome(Committed(T, Half), Factors(T, Half, Half));

        Assert.Equal(OutcomeReason.NoQuorum, outcome.Reason);
        Assert.False(outcome.InReport);
        Assert.Null(outcome.NewState);
        Assert.Equal(2, outcome.Figures.ObservationCount);
    }

    [Fact]
    public void Evaluate_ListedTokenWithoutObservations_NoQuorumAndNotProposed()
    {
        var result = RulesEngine.Evaluate(Input([Committed(T, Half)], []));

        Assert.Equal(OutcomeReason.NoQuorum, Assert.Single(result.Outcomes).Reason);
        Assert.False(result.ShouldPropose);
        Assert.Empty(result.Report.EncodeUpdates());
    }

    [Fact]
    public void Evaluate_ExactlyMinReporters_Commits()
    {
        var outcome = Outcome(Committed(T, Half), Factors(T, Half, Half, Half));

        Assert.Equal(OutcomeReason.Commit, outcome.Reason);
        Assert.Equal(new Wad(Half), outcome.Update!.Value.Factor);
    }

    [Fact]
    public void Evaluate_SupplyBaseAgreedByFewerThanMinReporters_FrozenSupplyWithPrevFactorAndCommittedCirculating()
    {
        var state = Committed(T, Half, circulating: 777);
        // Factors diverge wildly too: the supply base is decided first (step 3), so the median is never computed.
        var observations = new[] { Obs(0, T, 1, 100), Obs(1, T, One, 100), Obs(2, T, Half, 200), Obs(3, T, Half, 300) };

        var outcome = Outcome(state, observations);

        Assert.Equal(OutcomeReason.FrozenSupply, outcome.Reason);
        Assert.Null(outcome.Figures.Median);
        Assert.Equal(new TokenAmount(100UL), outcome.Figures.SupplyBase);
        Assert.Equal(2, outcome.Figures.SupplyBaseCount);
        Assert.Equal([Reporter(2), Reporter(3)], outcome.Figures.Disagreeing);
        var update = outcome.Update!.Value;
        Assert.Equal((UpdateStatus.FrozenSupply, 777UL, Half), (update.Status, (ulong)update.Circulating, update.Factor.Raw));
        Assert.Equal(state with { Frozen = true }, outcome.NewState);
    }

    [Fact]
    public void Evaluate_SupplyBaseTie_SmallerValueWinsAndCommits()
    {
        var parameters = Params(reporters: 4, minReporters: 2);
        var observations = new[] { Obs(0, T, Half, 500), Obs(1, T, Half, 500), Obs(2, T, Half, 400), Obs(3, T, Half, 400) };

        var outcome = Outcome(Committed(T, Half), observations, parameters);

        Assert.Equal(OutcomeReason.Commit, outcome.Reason);
        Assert.Equal(400UL, (ulong)outcome.Update!.Value.Circulating);
        Assert.Equal([Reporter(0), Reporter(1)], outcome.Figures.Disagreeing);
        Assert.Equal(new TokenAmount(400UL), outcome.NewState!.Circulating);
    }

    [Fact]
    public void Evaluate_SupplyBaseAboveUInt128_FrozenSupplyWithFlag()
    {
        var huge = new TokenAmount(UInt128.MaxValue).Value + 1;
        var observations = Enumerable.Range(0, 3).Select(i => new Observation(Reporter(i), T, new TokenAmount(huge), new Wad(Half)));

        var outcome = Outcome(Committed(T, Half), observations);

        Assert.Equal(OutcomeReason.FrozenSupply, outcome.Reason);
        Assert.True(outcome.Figures.SupplyBaseExceedsUInt128);
        Assert.Equal(UpdateStatus.FrozenSupply, outcome.Update!.Value.Status);
    }

    [Fact]
    public void Evaluate_NeverCommittedTokenFreezes_LeftOutOfReport()
    {
        var observations = new[] { Obs(0, T, Half, 1), Obs(1, T, Half, 2), Obs(2, T, Half, 3) };

        var result = RulesEngine.Evaluate(Input([TokenState.NeverCommitted(T)], observations));

        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(OutcomeReason.FrozenSupply, outcome.Reason);
        Assert.False(outcome.InReport);
        Assert.Null(outcome.NewState);
        Assert.False(result.ShouldPropose);
    }

    [Fact]
    public void Evaluate_FactorsExactlyAtBandEdges_AgreeAndCommit()
    {
        // m = 0.5, band = ceil(0.5 * 200 / 10000) = 0.01: 0.49 and 0.51 are inside (|v - m| <= band).
        const ulong band = One / 100;
        var outcome = Outcome(Committed(T, Half), Factors(T, Half - band, Half, Half + band));

        Assert.Equal(OutcomeReason.Commit, outcome.Reason);
        Assert.Equal((Half, band, 3), (outcome.Figures.Median!.Value.Raw, outcome.Figures.Band!.Value.Raw, outcome.Figures.Agree!.Value));
    }

    [Fact]
    public void Evaluate_FactorsOneBeyondBand_FrozenDivergenceKeepsPrev()
    {
        const ulong band = One / 100;
        var state = Committed(T, 400_000_000_000_000_000, circulating: 555);

        var outcome = Outcome(state, Factors(T, Half - band - 1, Half, Half + band + 1));

        Assert.Equal(OutcomeReason.FrozenDivergence, outcome.Reason);
        Assert.Equal(1, outcome.Figures.Agree);
        Assert.Equal([Reporter(0), Reporter(2)], outcome.Figures.Outliers);
        var update = outcome.Update!.Value;
        Assert.Equal((UpdateStatus.FrozenDivergence, 555UL, 400_000_000_000_000_000UL), (update.Status, (ulong)update.Circulating, update.Factor.Raw));
        Assert.Equal(state with { Frozen = true }, outcome.NewState);
    }

    [Fact]
    public void Evaluate_BandRoundsUp_ValueOneUnitPastFloorBandStillAgrees()
    {
        // m = 123456789, band = ceil(2469135.78) = 2469136: a factor exactly m + 2469136 agrees.
        const ulong m = 123_456_789;
        var outcome = Outcome(TokenState.NeverCommitted(T), Factors(T, m - 2_469_136, m, m + 2_469_136));

        Assert.Equal(OutcomeReason.Commit, outcome.Reason);
        Assert.Equal(2_469_136UL, outcome.Figures.Band!.Value.Raw);
        Assert.Equal(3, outcome.Figures.Agree);
    }

    [Fact]
    public void Evaluate_OutlierInsideMedianButBelowMinAgree_OutliersStayInMedian()
    {
        // 5 reporters: the two outliers move the even-free median only by position; agree = 3 still commits.
        var outcome = Outcome(Committed(T, Half), Factors(T, 1, Half, Half, Half, One));

        Assert.Equal(OutcomeReason.Commit, outcome.Reason);
        Assert.Equal((Half, 3), (outcome.Figures.Median!.Value.Raw, outcome.Figures.Agree!.Value));
    }

    [Fact]
    public void Evaluate_EvenCount_MedianIsFlooredMeanAndTargetIsTierRounded()
    {
        var parameters = Params(reporters: 4, minReporters: 2) with { DivergenceToleranceBps = 10_000 };
        var outcome = Outcome(TokenState.NeverCommitted(T), Factors(T, 200_000_000_000_000_001, 300_000_000_000_000_000, 1, One), parameters);

        Assert.Equal(250_000_000_000_000_000UL, outcome.Figures.Median!.Value.Raw);
        Assert.Equal(250_000_000_000_000_000UL, outcome.Figures.Target!.Value.Raw);
    }
}
