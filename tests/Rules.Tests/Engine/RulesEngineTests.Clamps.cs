using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Engine;

/// <summary>Steps 7 to 11: first commit, cooldown, step clamp, window clamp and roll-over, final range.</summary>
public sealed partial class RulesEngineTests
{
    private const ulong P60 = 600_000_000_000_000_000;
    private const ulong P80 = 800_000_000_000_000_000;

    [Fact]
    public void Evaluate_FirstCommit_NextIsTargetAnchorStartsAtTargetNoClamps()
    {
        var outcome = Outcome(TokenState.NeverCommitted(T), Factors(T, 350_000_000_000_000_000, 351_000_000_000_000_000, 352_000_000_000_000_000));

        Assert.Equal(OutcomeReason.Commit, outcome.Reason);
        Assert.Equal(ClampsApplied.None, outcome.Figures.Clamps);
        var expected = new TokenState(T, new Wad(350_000_000_000_000_000), Now, new Wad(350_000_000_000_000_000), Now, true, false, new TokenAmount(1_000_000UL));
        Assert.Equal(expected, outcome.NewState);
    }

    [Fact]
    public void Evaluate_FirstCommit_NoCooldownEvenWithCommittedAtNow()
    {
        var state = TokenState.NeverCommitted(T) with { CommittedAt = Now };

        Assert.Equal(OutcomeReason.Commit, Outcome(state, Factors(T, Half, Half, Half)).Reason);
    }

    [Theory]
    [InlineData(Now - 3_600, OutcomeReason.Commit)] // exactly at the boundary: now == committedAt + minCommitInterval
    [InlineData(Now - 3_599, OutcomeReason.TooSoon)]
    [InlineData(Now + 10, OutcomeReason.TooSoon)]
    public void Evaluate_CooldownBoundary_CommitsExactlyAtInterval(ulong committedAt, OutcomeReason expected)
    {
        var outcome = Outcome(Committed(T, Half, committedAt: committedAt), Factors(T, Half, Half, Half));

        Assert.Equal(expected, outcome.Reason);
        Assert.Equal(expected == OutcomeReason.Commit, outcome.InReport);
    }

    [Theory]
    [InlineData(P80, 550_000_000_000_000_000UL, ClampsApplied.StepHigh)] // prev 0.5, step 0.05
    [InlineData(200_000_000_000_000_000UL, 450_000_000_000_000_000UL, ClampsApplied.StepLow)]
    [InlineData(550_000_000_000_000_000UL, 550_000_000_000_000_000UL, ClampsApplied.None)] // exactly at the edge
    public void Evaluate_TargetBeyondStep_ClampedToPrevPlusMinusStep(ulong factor, ulong expected, ClampsApplied clamps)
    {
        var outcome = Outcome(Committed(T, Half), Factors(T, factor, factor, factor));

        Assert.Equal(expected, outcome.Figures.Next!.Value.Raw);
        Assert.Equal(clamps, outcome.Figures.Clamps);
    }

    [Fact]
    public void Evaluate_StepNotWhole_StepIsFloored()
    {
        // prev = 0.333...: step = floor(33333333333333333.3) = 33333333333333333.
        const ulong prev = 333_333_333_333_333_333;
        var outcome = Outcome(Committed(T, prev), Factors(T, P80, P80, P80));

        Assert.Equal(prev + 33_333_333_333_333_333, outcome.Figures.Next!.Value.Raw);
    }

    [Fact]
    public void Evaluate_TargetBeyondWindowHigh_ClampedToAnchorPlusWstep()
    {
        // anchor 0.5 (window 25%: [0.375, 0.625]); prev 0.6 (step 10%: [0.54, 0.66]); target 0.8.
        var state = Committed(T, P60, anchor: Half);
        var outcome = Outcome(state, Factors(T, P80, P80, P80));

        Assert.Equal(625_000_000_000_000_000UL, outcome.Figures.Next!.Value.Raw);
        Assert.Equal(ClampsApplied.StepHigh | ClampsApplied.WindowHigh, outcome.Figures.Clamps);
        Assert.Equal(new Wad(Half), outcome.NewState!.Anchor);
        Assert.Equal(state.AnchorAt, outcome.NewState.AnchorAt);
    }

    [Fact]
    public void Evaluate_TargetBeyondWindowLow_ClampedToAnchorMinusWstep()
    {
        // anchor 0.5: [0.375, 0.625]; prev 0.4: [0.36, 0.44]; target 0.2 -> 0.36 -> 0.375.
        var outcome = Outcome(Committed(T, 400_000_000_000_000_000, anchor: Half), Factors(T, One / 5, One / 5, One / 5));

        Assert.Equal(375_000_000_000_000_000UL, outcome.Figures.Next!.Value.Raw);
        Assert.Equal(ClampsApplied.StepLow | ClampsApplied.WindowLow, outcome.Figures.Clamps);
    }

    [Theory]
    [InlineData(Now - 86_400, true, 660_000_000_000_000_000UL)] // exactly at the boundary: rolls, anchor = prev 0.6
    [InlineData(Now - 86_399, false, 625_000_000_000_000_000UL)] // one second before: anchor 0.5 holds
    public void Evaluate_WindowBoundary_RollsExactlyAtWindowWithPrevAsAnchor(ulong anchorAt, bool rolls, ulong expectedNext)
    {
        var outcome = Outcome(Committed(T, P60, anchor: Half, anchorAt: anchorAt), Factors(T, P80, P80, P80));

        Assert.Equal(expectedNext, outcome.Figures.Next!.Value.Raw);
        Assert.Equal(rolls, outcome.Figures.Clamps.HasFlag(ClampsApplied.AnchorRolled));
        Assert.Equal(rolls ? (P60, Now) : (Half, anchorAt), (outcome.NewState!.Anchor.Raw, outcome.NewState.AnchorAt));
    }

    [Fact]
    public void Evaluate_PrevOutsideNarrowedWindow_WindowClampAppliedLastWins()
    {
        // Governance narrowed the window to 10% after prev 0.7 was committed against anchor 0.5: the step range
        // [0.63, 0.77] and the window range [0.45, 0.55] do not meet. Step 10 runs after step 9, so the window wins.
        var parameters = Params() with { MaxWindowDeltaBps = 1_000 };
        var outcome = Outcome(Committed(T, 700_000_000_000_000_000, anchor: Half), Factors(T, 700_000_000_000_000_000, 700_000_000_000_000_000, 700_000_000_000_000_000), parameters);

        Assert.Equal(550_000_000_000_000_000UL, outcome.Figures.Next!.Value.Raw);
        Assert.Equal(ClampsApplied.WindowHigh, outcome.Figures.Clamps);
    }

    [Fact]
    public void Evaluate_TinyPrev_NextStaysAtLeastOne()
    {
        // prev = anchor = 1 wei of WAD: step and wstep floor to 0, so next stays 1, the bottom of [1, 1e18].
        var outcome = Outcome(Committed(T, 1, anchor: 1), Factors(T, Half, Half, Half));

        Assert.Equal(1UL, outcome.Update!.Value.Factor.Raw);
        Assert.Equal(ClampsApplied.StepHigh, outcome.Figures.Clamps);
    }

    [Fact]
    public void Evaluate_AllReportOne_CapsAtOneWad()
    {
        var outcome = Outcome(Committed(T, 950_000_000_000_000_000), Factors(T, One, One, One));

        Assert.Equal(One, outcome.Update!.Value.Factor.Raw);
    }

    [Fact]
    public void Evaluate_CommitOnFrozenToken_UnfreezesAndStoresSupplyBase()
    {
        var state = Committed(T, Half, circulating: 5) with { Frozen = true };

        var outcome = Outcome(state, Factors(T, Half, Half, Half));

        Assert.Equal(new TokenState(T, new Wad(Half), Now, new Wad(Half), state.AnchorAt, true, false, new TokenAmount(1_000_000UL)), outcome.NewState);
        Assert.Equal(1_000_000UL, (ulong)outcome.Update!.Value.Circulating);
    }
}
