using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine.Internal;
using SupplyOracle.Rules.Parameters;

namespace SupplyOracle.Rules.Engine;

/// <summary>
/// The rules of docs/protocol.md section 5 as one pure function: the aggregator runs it to build a report, every reporter
/// re-runs it to check a proposal before attesting, and its predicted state is what the SupplyOracle contract must
/// store after the commit. No clock, no I/O, no floating point: the same input gives byte-identical output.
/// </summary>
public static partial class RulesEngine
{
    /// <summary>
    /// Evaluates a round. Throws <see cref="RulesInputException"/> for input that breaks the protocol (invalid
    /// parameters, a reference block that is not <c>r * roundBlocks</c>, an observation from an unregistered reporter,
    /// two observations of one token by one reporter, inconsistent token state).
    /// </summary>
    public static RulesResult Evaluate(RulesInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (states, observationsByToken) = Validate(input);

        var tokens = new SortedSet<Address>(states.Keys);
        tokens.UnionWith(observationsByToken.Keys);

        var outcomes = new List<TokenOutcome>(tokens.Count);
        foreach (var token in tokens)
        {
            var observations = observationsByToken.TryGetValue(token, out var list) ? list : [];
            outcomes.Add(states.TryGetValue(token, out var state)
                ? EvaluateToken(input.Parameters, input.Header.ReferenceTime, state, observations)
                : new TokenOutcome(token, OutcomeReason.Unlisted, null, new TokenFigures { ObservationCount = observations.Count }, null));
        }

        var updates = outcomes.Where(o => o.Update is not null).Select(o => o.Update!.Value).ToArray();
        return new RulesResult(new Report(input.Header, updates), outcomes);
    }

    // docs/protocol.md section 5, steps 2 to 11, for one listed token.
    private static TokenOutcome EvaluateToken(RulesParameters p, ulong now, TokenState state, IReadOnlyList<Observation> observations)
    {
        var token = state.Token;
        var figures = new TokenFigures { ObservationCount = observations.Count };

        // Step 2: quorum.
        if (observations.Count < p.MinReporters)
        {
            return new TokenOutcome(token, OutcomeReason.NoQuorum, null, figures, null);
        }

        // Step 3: supply base, decided before the median.
        var (supplyBase, supplyCount, disagreeing) = SupplyBase.Find(observations);
        figures = figures with
        {
            SupplyBase = supplyBase,
            SupplyBaseCount = supplyCount,
            Disagreeing = disagreeing,
            SupplyBaseExceedsUInt128 = !supplyBase.FitsUInt128,
        };
        if (supplyCount < p.MinReporters || !supplyBase.FitsUInt128)
        {
            // A c* that does not fit the report's uint128 field cannot be committed (section 7): freeze, like a
            // dispute over the supply base, rather than report a truncated value.
            return Freeze(state, OutcomeReason.FrozenSupply, figures);
        }

        // Step 4: median of every factor (outliers included).
        var median = RulesMath.Median(observations.Select(o => o.Factor.Raw).ToArray());

        // Step 5: divergence band (ceil) and agreement.
        var band = RulesMath.Band(median, p.DivergenceToleranceBps);
        var outliers = observations
            .Where(o => (o.Factor.Raw >= median ? o.Factor.Raw - median : median - o.Factor.Raw) > band)
            .Select(o => o.Reporter)
            .Order()
            .ToArray();
        var agree = observations.Count - outliers.Length;
        figures = figures with { Median = new Wad(median), Band = new Wad(band), Agree = agree, Outliers = outliers };
        if (agree < p.MinReporters)
        {
            return Freeze(state, OutcomeReason.FrozenDivergence, figures);
        }

        // Step 6: tier rounding.
        var target = RulesMath.TierRound(median);
        figures = figures with { Target = new Wad(target) };

        ulong next;
        ulong anchor, anchorAt;
        var clamps = ClampsApplied.None;
        if (!state.Initialized)
        {
            // Step 7: first commit; the window anchor starts at the target. Cooldown and clamps need a prev.
            next = target;
            anchor = target;
            anchorAt = now;
        }
        else
        {
            // Step 8: cooldown, only once initialized.
            if (!RulesMath.AtLeastSum(now, state.CommittedAt, p.MinCommitInterval))
            {
                return new TokenOutcome(token, OutcomeReason.TooSoon, null, figures, null);
            }

            var prev = state.Factor.Raw;

            // Step 9: step clamp around prev (floor).
            var step = RulesMath.FloorBps(prev, p.MaxFactorDeltaBps);
            next = ClampInto(target, prev - step, prev + step, ClampsApplied.StepLow, ClampsApplied.StepHigh, ref clamps);

            // Step 10: window roll-over uses prev (the stored factor before this update) as the new anchor.
            anchor = state.Anchor.Raw;
            anchorAt = state.AnchorAt;
            if (RulesMath.AtLeastSum(now, state.AnchorAt, p.Window))
            {
                anchor = prev;
                anchorAt = now;
                clamps |= ClampsApplied.AnchorRolled;
            }

            var wstep = RulesMath.FloorBps(anchor, p.MaxWindowDeltaBps);
            next = ClampInto(next, anchor - wstep, anchor + wstep, ClampsApplied.WindowLow, ClampsApplied.WindowHigh, ref clamps);
        }

        // Step 11: min(max(next, 1), 1e18). With validated state (prev and anchor in [1, 1e18]) and a target of at
        // least one tier, steps 7 to 10 already land in that range; the step is kept as the protocol states it.
        next = Math.Clamp(next, 1UL, Wad.OneRaw);
        var factor = new Wad(next);
        figures = figures with { Next = factor, Clamps = clamps };
        var circulating = supplyBase.ToUInt128();
        var update = new ReportUpdate(token, circulating, factor, UpdateStatus.Commit);
        var newState = new TokenState(token, factor, now, new Wad(anchor), anchorAt, Initialized: true, Frozen: false, supplyBase);
        return new TokenOutcome(token, OutcomeReason.Commit, update, figures, newState);
    }

    // Section 5, last paragraph: a frozen token keeps its committed factor and circulating and is marked frozen; a token
    // never committed has nothing to freeze and is left out. Commit time and window anchor do not move on a freeze.
    private static TokenOutcome Freeze(TokenState state, OutcomeReason reason, TokenFigures figures)
    {
        if (!state.Initialized)
        {
            return new TokenOutcome(state.Token, reason, null, figures, null);
        }

        var status = reason == OutcomeReason.FrozenSupply ? UpdateStatus.FrozenSupply : UpdateStatus.FrozenDivergence;
        var update = new ReportUpdate(state.Token, state.Circulating.ToUInt128(), state.Factor, status);
        return new TokenOutcome(state.Token, reason, update, figures, state with { Frozen = true });
    }

    private static ulong ClampInto(ulong value, ulong low, ulong high, ClampsApplied raised, ClampsApplied lowered, ref ClampsApplied clamps)
    {
        if (value < low)
        {
            clamps |= raised;
            return low;
        }

        if (value > high)
        {
            clamps |= lowered;
            return high;
        }

        return value;
    }
}
