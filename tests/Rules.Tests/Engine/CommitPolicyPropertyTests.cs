using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using SupplyOracle.Rules.Parameters;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Engine;

/// <summary>
/// docs/protocol.md section 5 step 12 (the commit policy of protocol 1.1) over random inputs (FsCheck). The reference for
/// "what steps 2 to 11 say" is the same input evaluated with <c>heartbeat = minCommitInterval</c>: whenever the
/// cooldown has passed the heartbeat is then due, so no token can be Unchanged, and the conditions of step 12 are
/// restated independently in <see cref="BigInteger"/> arithmetic.
/// </summary>
public sealed class CommitPolicyPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(3_000);

    private static TokenOutcome WithoutPolicy(RulesInput input) =>
        RulesEngine.Evaluate(input with { Parameters = input.Parameters with { Heartbeat = input.Parameters.MinCommitInterval } }).Outcomes.Single();

    /// <summary>
    /// Inputs near step 12's edges: a committed tier value, reporters around it (same tier, or one tier away), one
    /// supply value at, inside or just beyond the deviation of the committed circulating, times around the heartbeat.
    /// </summary>
    private static Gen<RulesInput> NearPolicyEdges =>
        from p in RulesGen.Parameters(5, 3)
        from prev in Gen.Elements(500_000_000_000_000_000UL, 50_000_000_000_000_000UL, 5_000_000_000_000_000UL, One, 100_000_000_000_000_000UL)
        from committed in Gen.Elements(1_000_000UL, 777UL, 10UL, 123_456_789_012UL)
        let edge = (ulong)((UInt128)committed * p.SupplyDeviationBps / 10_000)
        from supply in Gen.Elements(committed, committed + edge, committed - Math.Min(edge, committed - 1), committed + edge + 1, committed * 2)
        from odd in Gen.Frequency((5, Gen.Constant(false)), (1, Gen.Constant(true)))
        from sinceCommit in Gen.Elements(p.MinCommitInterval, p.Heartbeat - 1, p.Heartbeat, p.Heartbeat + 1, 2 * p.Heartbeat)
        from frozen in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from moves in Gen.ArrayOf(Gen.Elements(0L, 1L, -1L, (long)(prev / 1_000), -(long)(prev / 1_000), (long)(prev / 10)), 5)
        let state = new TokenState(Token(1), new Wad(prev), Now - sinceCommit, new Wad(prev), Now - sinceCommit, true, frozen, new TokenAmount(committed))
        select new RulesInput(Header(), p, [state],
            [.. Enumerable.Range(0, 5).Select(i => Obs(i, Token(1), (ulong)Math.Clamp((long)prev + moves[i], 1L, (long)One), odd && i == 0 ? supply + 1 : supply))]);

    private static bool WithinDeviation(RulesParameters p, TokenAmount committed, TokenAmount proposed) =>
        BigInteger.Abs(proposed.Value - committed.Value) * 10_000 <= committed.Value * p.SupplyDeviationBps;

    [Fact]
    public void Evaluate_UnchangedToken_NeverHidesFactorChangeSupplyDeviationOrDueHeartbeat()
    {
        var (unchanged, hiddenBySupply, dueHeartbeat, factorMoved) = (0, 0, 0, 0);
        Prop.ForAll(Gen.OneOf(RulesGen.AnyInput, NearPolicyEdges).ToArbitrary(), input =>
        {
            var state = input.State.Single();
            var p = input.Parameters;
            var outcome = RulesEngine.Evaluate(input).Outcomes.Single();
            var reference = WithoutPolicy(input);
            if (reference.Reason != OutcomeReason.Commit)
            {
                Assert.NotEqual(OutcomeReason.Unchanged, outcome.Reason);
                return;
            }

            var update = reference.Update!.Value;
            var sameFactor = state.Initialized && update.Factor == state.Factor;
            var withinDeviation = state.Initialized && WithinDeviation(p, state.Circulating, new TokenAmount(update.Circulating));
            var heartbeatDue = (BigInteger)Now >= (BigInteger)state.CommittedAt + p.Heartbeat;
            factorMoved += state.Initialized && !sameFactor ? 1 : 0;
            hiddenBySupply += sameFactor && !withinDeviation ? 1 : 0;
            dueHeartbeat += sameFactor && withinDeviation && heartbeatDue && !state.Frozen ? 1 : 0;

            var expectUnchanged = sameFactor && withinDeviation && !heartbeatDue && !state.Frozen;
            if (expectUnchanged)
            {
                unchanged++;
                Assert.Equal(OutcomeReason.Unchanged, outcome.Reason);
                Assert.Null(outcome.Update);
                Assert.Null(outcome.NewState);
                Assert.False(outcome.InReport);
                // The figures still explain the decision: the supply base and the factor the rules would commit.
                Assert.Equal(update.Factor, outcome.Figures.Next);
            }
            else
            {
                // Anything a consumer would see (a new factor, a supply beyond the deviation, a due heartbeat, a
                // frozen flag to clear) is committed exactly as step 11 says.
                Assert.Equal(OutcomeReason.Commit, outcome.Reason);
                Assert.Equal(reference.Update, outcome.Update);
                Assert.Equal(reference.NewState, outcome.NewState);
            }
        }).Check(Config);

        Assert.True(unchanged > 100 && hiddenBySupply > 50 && dueHeartbeat > 50 && factorMoved > 100,
            $"unchanged {unchanged}, supply beyond deviation {hiddenBySupply}, heartbeat due {dueHeartbeat}, factor moved {factorMoved}");
    }

    [Fact]
    public void Evaluate_FrozenOnChainAndFreezingAgain_StillFrozenLeftOutOtherwiseFreezeReported()
    {
        var (stillFrozen, newFreeze) = (0, 0);
        Prop.ForAll(Gen.OneOf(RulesGen.AnyInput, NearPolicyEdges).ToArbitrary(), input =>
        {
            var state = input.State.Single();
            var outcome = RulesEngine.Evaluate(input).Outcomes.Single();
            // Steps 2 to 11 never look at the frozen flag: the same input with the flag cleared shows what they say.
            var reference = WithoutPolicy(input with { State = [state with { Frozen = false }] });
            if (reference.Reason is not (OutcomeReason.FrozenSupply or OutcomeReason.FrozenDivergence))
            {
                Assert.NotEqual(OutcomeReason.StillFrozen, outcome.Reason);
                return;
            }

            if (state.Initialized && state.Frozen)
            {
                stillFrozen++;
                Assert.Equal(OutcomeReason.StillFrozen, outcome.Reason);
                Assert.Null(outcome.Update);
                Assert.Null(outcome.NewState);
            }
            else
            {
                newFreeze += state.Initialized ? 1 : 0;
                Assert.Equal(reference.Reason, outcome.Reason);
                Assert.Equal(reference.Update, outcome.Update);
                Assert.Equal(reference.NewState?.Frozen, outcome.NewState?.Frozen);
            }
        }).Check(Config);

        Assert.True(stillFrozen > 50 && newFreeze > 50, $"still frozen {stillFrozen}, new freezes {newFreeze}");
    }

    /// <summary>Several tokens in one round: the report proposes exactly the tokens step 12 keeps, nothing when none.</summary>
    [Fact]
    public void Evaluate_RoundOfUnchangedAndStillFrozenTokens_ProposesNothing()
    {
        var quiet = 0;
        var scenario =
            from count in Gen.Choose(1, 6)
            from kinds in Gen.ArrayOf(Gen.Choose(0, 3), count)
            from since in Gen.ArrayOf(RulesGen.Between(3_600, 43_199), count)
            select (kinds, since);
        Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var p = Params(reporters: 5, minReporters: 3) with { Heartbeat = 43_200 };
            var states = new List<TokenState>();
            var observations = new List<Observation>();
            for (var i = 0; i < s.kinds.Length; i++)
            {
                var token = Token(10 + i);
                var committed = Committed(token, 500_000_000_000_000_000UL, committedAt: Now - s.since[i], anchorAt: Now - 3_600, circulating: 1_000_000);
                switch (s.kinds[i])
                {
                    case 0: // unchanged: same tier, supply within 50 bps
                        states.Add(committed);
                        observations.AddRange(Enumerable.Range(0, 5).Select(r => Obs(r, token, 501_000_000_000_000_000UL, 1_004_000)));
                        break;
                    case 1: // frozen on chain, reporters still disagree on the supply
                        states.Add(committed with { Frozen = true });
                        observations.AddRange(Enumerable.Range(0, 5).Select(r => Obs(r, token, 500_000_000_000_000_000UL, 1_000_000UL + (ulong)r)));
                        break;
                    case 2: // a tier move: commits
                        states.Add(committed);
                        observations.AddRange(Enumerable.Range(0, 5).Select(r => Obs(r, token, 550_000_000_000_000_000UL)));
                        break;
                    default: // a supply move beyond 50 bps: commits
                        states.Add(committed);
                        observations.AddRange(Enumerable.Range(0, 5).Select(r => Obs(r, token, 500_000_000_000_000_000UL, 1_006_000)));
                        break;
                }
            }

            var result = RulesEngine.Evaluate(Input(states, observations, p));
            var expected = s.kinds.Count(k => k >= 2);
            Assert.Equal(expected, result.Report.Updates.Count);
            Assert.Equal(expected > 0, result.ShouldPropose);
            Assert.All(result.Outcomes.Zip(s.kinds), pair => Assert.Equal(
                pair.Second switch { 0 => OutcomeReason.Unchanged, 1 => OutcomeReason.StillFrozen, _ => OutcomeReason.Commit }, pair.First.Reason));
            quiet += expected == 0 ? 1 : 0;
        }).Check(Config.WithMaxTest(500));

        Assert.True(quiet > 20, $"only {quiet} rounds had nothing to propose");
    }
}

/// <summary>Step 12 at its boundaries, with the section 8 defaults (heartbeat 12 hours, supplyDeviationBps 50).</summary>
public sealed class CommitPolicyTests
{
    private const ulong Half = 500_000_000_000_000_000UL;
    private static readonly RulesParameters Defaults = Params() with { Heartbeat = 43_200, SupplyDeviationBps = 50 };

    [Theory]
    [InlineData(43_199UL, 1_005_000UL, OutcomeReason.Unchanged)] // exactly 50 bps, heartbeat one second away
    [InlineData(43_199UL, 995_000UL, OutcomeReason.Unchanged)] // -50 bps
    [InlineData(43_199UL, 1_005_001UL, OutcomeReason.Commit)] // just beyond the deviation
    [InlineData(43_199UL, 994_999UL, OutcomeReason.Commit)]
    [InlineData(43_200UL, 1_000_000UL, OutcomeReason.Commit)] // heartbeat due: now == committedAt + heartbeat
    [InlineData(3_600UL, 1_000_000UL, OutcomeReason.Unchanged)]
    public void Evaluate_SameFactor_UnchangedOnlyWithinDeviationBeforeHeartbeat(ulong sinceCommit, ulong circulating, OutcomeReason expected)
    {
        var state = Committed(Token(1), Half, committedAt: Now - sinceCommit, anchorAt: Now - 3_600, circulating: 1_000_000);

        var outcome = Outcome(state, Enumerable.Range(0, 3).Select(r => Obs(r, Token(1), Half, circulating)), Defaults);

        Assert.Equal(expected, outcome.Reason);
        Assert.Equal(expected == OutcomeReason.Commit, outcome.InReport);
    }

    [Fact]
    public void Evaluate_FactorMovesOneTier_CommitsBeforeHeartbeat()
    {
        var state = Committed(Token(1), Half, committedAt: Now - 3_600, anchorAt: Now - 3_600);

        var outcome = Outcome(state, Factors(Token(1), 550_000_000_000_000_000UL, 550_000_000_000_000_000UL, 550_000_000_000_000_000UL), Defaults);

        Assert.Equal(OutcomeReason.Commit, outcome.Reason);
        Assert.Equal(550_000_000_000_000_000UL, outcome.Update!.Value.Factor.Raw);
    }

    [Fact]
    public void Evaluate_FrozenTokenAgreesAgain_CommitsToClearTheFlag()
    {
        var state = Committed(Token(1), Half, committedAt: Now - 3_600, anchorAt: Now - 3_600) with { Frozen = true };

        var outcome = Outcome(state, Factors(Token(1), Half, Half, Half), Defaults);

        Assert.Equal(OutcomeReason.Commit, outcome.Reason);
        Assert.False(outcome.NewState!.Frozen);
    }

    [Fact]
    public void Evaluate_FrozenTokenStillDisputed_StillFrozenLeftOut()
    {
        var state = Committed(Token(1), Half, committedAt: Now - 3_600, anchorAt: Now - 3_600) with { Frozen = true };

        var outcome = Outcome(state, [Obs(0, Token(1), Half, 1), Obs(1, Token(1), Half, 2), Obs(2, Token(1), Half, 3)], Defaults);

        Assert.Equal(OutcomeReason.StillFrozen, outcome.Reason);
        Assert.False(outcome.InReport);
        Assert.Equal(3, outcome.Figures.ObservationCount);
    }
}
