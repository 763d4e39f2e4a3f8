using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.Rules.Engine;
using SupplyOracle.Rules.Engine.Internal;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Engine;

/// <summary>Properties of docs/protocol.md section 5 over random inputs (FsCheck).</summary>
public sealed class RulesEnginePropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(2_000);

    [Fact]
    public void Evaluate_AnyInput_EveryReportedFactorWithinOneAndOneWad()
    {
        Prop.ForAll(RulesGen.AnyInput.ToArbitrary(), input =>
        {
            var result = RulesEngine.Evaluate(input);
            foreach (var u in result.Report.Updates)
            {
                Assert.InRange(u.Factor.Raw, 1UL, One);
            }

            foreach (var s in result.Outcomes.Where(o => o.NewState is not null).Select(o => o.NewState!))
            {
                Assert.InRange(s.Factor.Raw, 1UL, One);
                Assert.InRange(s.Anchor.Raw, 1UL, One);
            }
        }).Check(Config);
    }

    [Fact]
    public void Evaluate_CommitOfInitializedToken_NeverMovesBeyondStepAndWindowClamps()
    {
        var (commits, clamped, rolled) = (0, 0, 0);
        Prop.ForAll(RulesGen.AnyInput.ToArbitrary(), input =>
        {
            var before = input.State.Single();
            var outcome = RulesEngine.Evaluate(input).Outcomes.Single();
            if (outcome.Reason != OutcomeReason.Commit || !before.Initialized)
            {
                return;
            }

            commits++;
            clamped += outcome.Figures.Clamps.HasFlag(ClampsApplied.StepLow) || outcome.Figures.Clamps.HasFlag(ClampsApplied.WindowHigh) ? 1 : 0;
            rolled += outcome.Figures.Clamps.HasFlag(ClampsApplied.AnchorRolled) ? 1 : 0;

            // Independent restatement of steps 9 and 10 in BigInteger arithmetic.
            var p = input.Parameters;
            BigInteger prev = before.Factor.Raw, next = outcome.Update!.Value.Factor.Raw;
            var rolls = (BigInteger)Now >= (BigInteger)before.AnchorAt + p.Window;
            BigInteger anchor = rolls ? prev : before.Anchor.Raw;
            var step = prev * p.MaxFactorDeltaBps / 10_000;
            var wstep = anchor * p.MaxWindowDeltaBps / 10_000;

            Assert.True(BigInteger.Abs(next - prev) <= step, $"next {next} beyond step {step} of prev {prev}");
            Assert.True(BigInteger.Abs(next - anchor) <= wstep, $"next {next} beyond window {wstep} of anchor {anchor}");
            Assert.Equal(anchor, (BigInteger)outcome.NewState!.Anchor.Raw);
            Assert.Equal(rolls ? Now : before.AnchorAt, outcome.NewState.AnchorAt);
            Assert.Equal(Now, outcome.NewState.CommittedAt);
        }).Check(Config);

        // The generator must reach the interesting cases, or the property proves nothing.
        Assert.True(commits > 200 && clamped > 20 && rolled > 20, $"commits {commits}, clamped {clamped}, rolled {rolled}");
    }

    /// <summary>
    /// Byzantine reporters (fewer than minReporters, any factor, any circulating) cannot push a committed value
    /// outside the honest range: the median stays in [min honest, max honest] and the target in the tier-rounded
    /// range; the token commits there or waits for its cooldown, and is never frozen or pushed outside. Honest reporters agree within the tolerance and on one circulating value.
    /// </summary>
    [Fact]
    public void Evaluate_FewerThanMinReportersByzantine_CommitWithinHonestRangeNeverPushedOutside()
    {
        var scenario =
            from min in Gen.Choose(1, 5)
            from honest in Gen.Choose(min, min + 3)
            from byzantine in Gen.Choose(0, min - 1)
            from extra in Gen.Choose(0, 2)
            from p in RulesGen.Parameters(honest + byzantine + extra, min)
            from state in RulesGen.State(p)
            from low in RulesGen.Factor
            let spread = Math.Min(One - low, RulesMath.FloorBps(low, p.DivergenceToleranceBps))
            from honestFactors in Gen.ArrayOf(RulesGen.Between(low, low + spread), honest)
            from byzantineFactors in Gen.ArrayOf(RulesGen.Factor, byzantine)
            from byzantineSupply in Gen.ArrayOf(Gen.Elements(1_000UL, 999UL, 1UL, ulong.MaxValue), byzantine)
            from order in Gen.Shuffle(Enumerable.Range(0, honest + byzantine).ToArray())
            select (p, state, honestFactors, byzantineFactors, byzantineSupply, order);

        var commits = 0;
        Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var (p, state, honestFactors, byzantineFactors, byzantineSupply, order) = s;
            var observations = honestFactors.Select(f => (f, 1_000UL))
                .Concat(byzantineFactors.Zip(byzantineSupply))
                .Select((x, i) => Obs(order[i], Token(1), x.Item1, x.Item2))
                .ToArray();

            var outcome = RulesEngine.Evaluate(new RulesInput(Header(), p, [state], observations)).Outcomes.Single();

            // Stronger than "commit or freeze": honest values lie within floor(low * tolerance) of each other and the
            // median lies among them, so at least the honest reporters agree (step 5) and the token never freezes;
            // they also outnumber the byzantine ones, so c* is theirs (step 3).
            Assert.Contains(outcome.Reason, new[] { OutcomeReason.Commit, OutcomeReason.TooSoon });
            Assert.Equal(new TokenAmount(1_000UL), outcome.Figures.SupplyBase);
            var (hmin, hmax) = (honestFactors.Min(), honestFactors.Max());
            Assert.InRange(outcome.Figures.Median!.Value.Raw, hmin, hmax);
            if (outcome.Reason == OutcomeReason.Commit)
            {
                commits++;
                Assert.InRange(outcome.Figures.Target!.Value.Raw, RulesMath.TierRound(hmin), RulesMath.TierRound(hmax));
                Assert.Equal(1_000UL, (ulong)outcome.Update!.Value.Circulating);
                if (!state.Initialized)
                {
                    Assert.Equal(outcome.Figures.Target, outcome.Figures.Next);
                }
            }
        }).Check(Config.WithMaxTest(3_000));

        Assert.True(commits > 500, $"commits {commits}");
    }

    [Fact]
    public void Evaluate_ObservationsInAnyOrder_ByteIdenticalReport()
    {
        var scenario = RulesGen.AnyInput.SelectMany(i => Gen.Shuffle(i.Observations.ToArray()).Select(o => (i, o)));

        Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var first = RulesEngine.Evaluate(s.i);
            var second = RulesEngine.Evaluate(s.i with { Observations = s.o });
            Assert.Equal(first.Report.EncodeUpdates(), second.Report.EncodeUpdates());
            Assert.Equal(first.Outcomes.Single().NewState, second.Outcomes.Single().NewState);
        }).Check(Config.WithMaxTest(500));
    }
}
