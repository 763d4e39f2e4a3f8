using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using SupplyOracle.Rules.Engine.Internal;
using SupplyOracle.Rules.Parameters;
using static SupplyOracle.Rules.Tests.Given;

namespace SupplyOracle.Rules.Tests.Engine;

/// <summary>FsCheck generators for rules inputs: edge values mixed with uniform ones.</summary>
internal static class RulesGen
{
    public static Gen<ulong> Between(ulong low, ulong high) =>
        FsCheck.FSharp.Gen.Choose64((long)low, (long)high).Select(v => (ulong)v);

    /// <summary>A factor in [1, 1e18], often at a tier boundary or an end of the range.</summary>
    public static Gen<ulong> Factor => Gen.Frequency(
        (1, Gen.Elements(1UL, 2UL, 499_999_999_999_999UL, 1_000_000_000_000_000UL, 9_999_999_999_999_999UL,
            10_000_000_000_000_000UL, 99_999_999_999_999_999UL, 100_000_000_000_000_000UL, 125_000_000_000_000_000UL,
            500_000_000_000_000_000UL, 999_999_999_999_999_999UL, One)),
        (3, Between(1, One)));

    public static Gen<uint> Bps(uint low) => Gen.Frequency(
        (1, Gen.Elements(low, 1u, 200u, 1_000u, 2_500u, 9_999u, 10_000u).Where(b => b >= low)),
        (2, Gen.Choose((int)low, 10_000).Select(b => (uint)b)));

    public static Gen<RulesParameters> Parameters(int reporters, int minReporters) =>
        from tolerance in Bps(0)
        from step in Bps(1)
        from wstep in Bps(1)
        from interval in Gen.Elements(1UL, 60UL, 3_600UL, 86_400UL)
        from window in Gen.Elements(1UL, 3_600UL, 86_400UL, 604_800UL)
        let staleAfter = Math.Max(86_400UL, 2 * interval)
        from heartbeat in Gen.Elements(interval, Math.Min(interval + 1, staleAfter / 2), staleAfter / 2)
        from deviation in Bps(0)
        select new RulesParameters
        {
            Reporters = Reporters(reporters),
            MinReporters = minReporters,
            DivergenceToleranceBps = tolerance,
            MaxFactorDeltaBps = step,
            MaxWindowDeltaBps = wstep,
            MinCommitInterval = interval,
            Window = window,
            ReportStaleAfter = staleAfter,
            Heartbeat = heartbeat,
            SupplyDeviationBps = deviation,
        };

    /// <summary>
    /// A state the contract can reach: never committed, or committed with prev inside the window of its anchor (every
    /// commit clamps prev into that window, and a roll-over re-centres it on prev).
    /// </summary>
    public static Gen<TokenState> State(RulesParameters p) =>
        Gen.Frequency(
            (1, Gen.Constant(TokenState.NeverCommitted(Token(1)))),
            (4, from anchor in Factor
                let wstep = RulesMath.FloorBps(anchor, p.MaxWindowDeltaBps)
                from prev in Between(Math.Max(1, anchor - wstep), Math.Min(One, anchor + wstep))
                from sinceCommit in Gen.Elements(0UL, p.MinCommitInterval - 1, p.MinCommitInterval, p.MinCommitInterval + 1, p.Heartbeat - 1, p.Heartbeat,
                    10 * 86_400UL)
                from sinceAnchor in Gen.Elements(sinceCommit, p.Window - 1, p.Window, p.Window + 1, 30 * 86_400UL)
                from frozen in Gen.Elements(false, true)
                from circulating in Gen.Elements(777UL, 1_000UL, 995UL, 2_000UL)
                select new TokenState(Token(1), new Wad(prev), Now - sinceCommit, new Wad(anchor), Now - Math.Max(sinceCommit, sinceAnchor), true, frozen,
                    new TokenAmount(circulating))));

    /// <summary>Any scenario: some reporters observe the token with factors around a centre and a few supply values.</summary>
    public static Gen<RulesInput> AnyInput =>
        from reporters in Gen.Choose(1, 9)
        from min in Gen.Choose(1, reporters)
        from p in Parameters(reporters, min)
        from state in State(p)
        from centre in Factor
        from spread in Gen.Elements(0UL, 1UL, centre / 100, centre / 10, One)
        from factors in Gen.ArrayOf(Between(centre > spread ? centre - spread : 1, Math.Min(One, centre + spread)), reporters)
        from supplies in Gen.ArrayOf(Gen.Elements(1_000UL, 1_000UL, 1_000UL, 1_004UL, 2_000UL), reporters)
        from present in Gen.ArrayOf(Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false))), reporters)
        select new RulesInput(Header(), p, [state],
            [.. Enumerable.Range(0, reporters).Where(i => present[i]).Select(i => Obs(i, Token(1), factors[i], supplies[i]))]);
}
