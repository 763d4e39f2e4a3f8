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
/// cooldown has passed the heartbeat is then due, so no token can be Unchanged, and the conditions of step 12 (protocol
/// 1.2: the heartbeat falls due at the boundaries of heartbeat periods) are restated independently in
/// <see cref="BigInteger"/> arithmetic.
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
        // Around the heartbeat itself and around the start of the current heartbeat period (protocol 1.2).
        let intoPeriod = Now % p.Heartbeat
        from sinceCommit in Gen.OneOf(
            Gen.Elements(p.MinCommitInterval, p.Heartbeat - 1, p.Heartbeat, p.Heartbeat + 1, 2 * p.Heartbeat, intoPeriod + 1),
            Gen.Elements(Math.Max(p.MinCommitInterval, intoPeriod), Math.Max(p.MinCommitInterval, intoPeriod == 0 ? 0 : intoPeriod - 1),
                Math.Max(p.MinCommitInterval, intoPeriod / 2)))
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
            // Protocol 1.2: due once now is in a later heartbeat period than committedAt (periods from unix time 0).
            var heartbeatDue = (BigInteger)Now / p.Heartbeat > (BigInteger)state.CommittedAt / p.Heartbeat;
            // What consumers rely on: a token whose last commit is a heartbeat or more old is never left out.
            if ((BigInteger)Now >= (BigInteger)state.CommittedAt + p.Heartbeat)
            {
                Assert.NotEqual(OutcomeReason.Unchanged, outcome.Reason);
            }

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

        Assert.True(unchanged > 50 && hiddenBySupply > 50 && dueHeartbeat > 50 && factorMoved > 100,
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
            from since in Gen.ArrayOf(RulesGen.Between(3_600, Now % 43_200), count) // committed in the current heartbeat period
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

    /// <summary>
    /// Protocol 1.2 over a simulated week of hourly rounds (the engine's own new states fed back): tokens whose factor
    /// moves a tier at random hours. Every token is committed again within one heartbeat of its last commit, every
    /// tier move is committed in the round that sees it, and a commit that stores nothing new (the heartbeat) happens
    /// only in the first round of a heartbeat period, where the heartbeats of all quiet tokens share one report.
    /// </summary>
    [Fact]
    public void Evaluate_HourlyRoundsWithRandomTierMoves_HeartbeatsShareTheFirstRoundOfEachPeriod()
    {
        const ulong Heartbeat = 43_200;
        const ulong Low = 500_000_000_000_000_000UL;
        const ulong High = 550_000_000_000_000_000UL;
        var (heartbeatRounds, tierMoves) = (0, 0);
        var scenario =
            from tokens in Gen.Choose(2, 6)
            from start in RulesGen.Between(0, Heartbeat - 1) // the first commit anywhere in a period
            from moves in Gen.ArrayOf(Gen.Frequency((30, Gen.Constant(false)), (1, Gen.Constant(true))), tokens * 168)
            select (tokens, start, moves);
        Prop.ForAll(scenario.ToArbitrary(), s =>
        {
            var p = Params(reporters: 5, minReporters: 3) with { Heartbeat = Heartbeat };
            var t0 = Now - (Now % Heartbeat) + s.start;
            var factor = new ulong[s.tokens];
            Array.Fill(factor, Low);
            var states = Enumerable.Range(0, s.tokens).Select(i => Committed(Token(i), Low, committedAt: t0, anchorAt: t0)).ToArray();
            for (var hour = 1; hour <= 168; hour++)
            {
                var now = t0 + ((ulong)hour * 3_600);
                for (var i = 0; i < s.tokens; i++)
                {
                    if (s.moves[((hour - 1) * s.tokens) + i])
                    {
                        factor[i] = factor[i] == Low ? High : Low;
                        tierMoves++;
                    }
                }

                var result = RulesEngine.Evaluate(Input(states, Enumerable.Range(0, s.tokens).SelectMany(i => Factors(Token(i), factor[i], factor[i], factor[i])), p, now));
                var firstOfPeriod = now / Heartbeat > (now - 3_600) / Heartbeat;
                var (heartbeats, movedTokens) = (0, 0);
                for (var i = 0; i < s.tokens; i++)
                {
                    var outcome = result.Outcomes.Single(o => o.Token == Token(i));
                    var moved = factor[i] != states[i].Factor.Raw;
                    Assert.Equal(moved ? OutcomeReason.Commit : firstOfPeriod ? OutcomeReason.Commit : OutcomeReason.Unchanged, outcome.Reason);
                    Assert.True(now - states[i].CommittedAt <= Heartbeat, $"token {i} last committed {now - states[i].CommittedAt} s ago");
                    heartbeats += !moved && outcome.InReport ? 1 : 0;
                    movedTokens += moved ? 1 : 0;
                    states[i] = outcome.NewState ?? states[i];
                }

                // In the first round of a period every token is in the report: all heartbeats share it.
                Assert.Equal(firstOfPeriod ? s.tokens : movedTokens, result.Report.Updates.Count);
                Assert.Equal(result.Report.Updates.Count > 0, result.ShouldPropose);
                heartbeatRounds += heartbeats > 0 ? 1 : 0;
            }
        }).Check(Config.WithMaxTest(100));

        // A week of 12-hour periods: 14 (or 13) heartbeat rounds per scenario.
        Assert.True(heartbeatRounds >= 100 * 13 && tierMoves > 100, $"heartbeat rounds {heartbeatRounds}, tier moves {tierMoves}");
    }
}

/// <summary>Step 12 at its boundaries, with the section 8 defaults (heartbeat 12 hours, supplyDeviationBps 50).</summary>
public sealed class CommitPolicyTests
{
    private const ulong Half = 500_000_000_000_000_000UL;
    private static readonly RulesParameters Defaults = Params() with { Heartbeat = 43_200, SupplyDeviationBps = 50 };

    // Protocol 1.2: heartbeat periods start at multiples of the heartbeat; Now is 36,800 s into its period.
    private const ulong PeriodStart = Now - (Now % 43_200);

    [Theory]
    [InlineData(PeriodStart, 1_005_000UL, OutcomeReason.Unchanged)] // exactly 50 bps, committed in this period
    [InlineData(PeriodStart, 995_000UL, OutcomeReason.Unchanged)] // -50 bps
    [InlineData(PeriodStart, 1_005_001UL, OutcomeReason.Commit)] // just beyond the deviation
    [InlineData(PeriodStart, 994_999UL, OutcomeReason.Commit)]
    [InlineData(PeriodStart - 1, 1_000_000UL, OutcomeReason.Commit)] // heartbeat due: committed in the previous period (36,801 s ago)
    [InlineData(Now - 43_200, 1_000_000UL, OutcomeReason.Commit)] // a whole heartbeat ago: always due
    [InlineData(Now - 3_600, 1_000_000UL, OutcomeReason.Unchanged)]
    public void Evaluate_SameFactor_UnchangedOnlyWithinDeviationInTheSameHeartbeatPeriod(ulong committedAt, ulong circulating, OutcomeReason expected)
    {
        var state = Committed(Token(1), Half, committedAt: committedAt, anchorAt: Now - 3_600, circulating: 1_000_000);

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
