using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Tests.Differential;

/// <summary>
/// Random but deliberate inputs for the rules↔contract differential test: valid parameters (docs/protocol.md section 8),
/// time steps around the cooldown and window, and per-token observation scenarios aimed at every branch of section 5
/// (honest clusters, outliers, divergence, supply disagreements and ties, quorum edges, even counts, tier boundaries,
/// clamps on both sides, uint128 overflow of the supply base).
/// </summary>
internal sealed class ScenarioGenerator(Random rng)
{
    private const ulong One = Wad.OneRaw;

    public SupplyOracleContract.Params Parameters(int reporters, ulong roundBlocks) => new(
        RoundBlocks: roundBlocks,
        MinReporters: (ulong)Pick((1, 1), (2, 3), (5, (reporters / 2) + 1), (2, reporters)),
        DivergenceToleranceBps: (ulong)Pick((2, 0), (5, 50), (5, 200), (3, 1_000), (1, 10_000)),
        MinCommitInterval: (ulong)rng.Next(1, 7_200),
        MaxFactorDeltaBps: (ulong)Pick((1, 1), (4, 1_000), (3, rng.Next(1, 10_001)), (1, 10_000)),
        Window: (ulong)rng.Next(600, 172_800),
        MaxWindowDeltaBps: (ulong)Pick((1, 1), (4, 2_500), (3, rng.Next(1, 10_001)), (1, 10_000)),
        ReportStaleAfter: 86_400,
        MaxCommitAge: 30 * 86_400,
        MaxReportAgeBlocks: 256);

    /// <summary>Seconds to move the clock before the next round: short (cooldown hits), around the cooldown, past the window.</summary>
    public ulong TimeStep(SupplyOracleContract.Params p) => rng.Next(10) switch
    {
        0 => 0,
        < 3 => (ulong)rng.NextInt64(1, (long)p.MinCommitInterval + 1),
        < 6 => p.MinCommitInterval + (ulong)rng.Next(0, 3),
        < 9 => (ulong)rng.NextInt64((long)p.MinCommitInterval, (long)Math.Max(p.MinCommitInterval, p.Window) * 2 + 1),
        _ => p.Window + (ulong)rng.Next(0, 3),
    };

    /// <summary>Each reporter's observations for the round (a reporter with none sends no batch).</summary>
    public List<TokenObservation>[] Observations(IReadOnlyList<TokenState> tokens, int reporters, SupplyOracleContract.Params p)
    {
        var batches = Enumerable.Range(0, reporters).Select(_ => new List<TokenObservation>()).ToArray();
        foreach (var state in tokens)
        {
            var observers = Observers(reporters, (int)p.MinReporters);
            var factors = Factors(state, observers.Length, p);
            var supplies = Supplies(state, observers.Length);
            for (var i = 0; i < observers.Length; i++)
            {
                batches[observers[i]].Add(new TokenObservation(state.Token, supplies[i], new Wad(factors[i])));
            }
        }

        return batches;
    }

    // Who observes the token: everyone, exactly the quorum, one short of it, or a random subset (even counts included).
    private int[] Observers(int reporters, int minReporters)
    {
        var count = rng.Next(10) switch
        {
            < 5 => reporters,
            5 => minReporters,
            6 => Math.Max(0, minReporters - 1),
            7 => Math.Min(reporters, minReporters + 1),
            _ => rng.Next(0, reporters + 1),
        };
        return [.. Enumerable.Range(0, reporters).OrderBy(_ => rng.Next()).Take(count)];
    }

    private ulong[] Factors(TokenState state, int count, SupplyOracleContract.Params p)
    {
        var center = Center(state);
        var factors = new ulong[count];
        var spread = rng.Next(4);
        for (var i = 0; i < count; i++)
        {
            factors[i] = spread switch
            {
                0 => center, // identical: the median is exactly the center
                1 or 2 => Jitter(center, p.DivergenceToleranceBps * 9 / 10), // honest cluster inside the band
                _ => Jitter(center, (ulong)rng.Next(0, 10_001)), // anything goes: divergence
            };
        }

        // Outliers: a minority far off (they count in the median but not in the agreement).
        var outliers = rng.Next(3) == 0 ? rng.Next(1, Math.Max(2, count / 2)) : 0;
        for (var i = 0; i < Math.Min(outliers, count); i++)
        {
            factors[rng.Next(count)] = Clamp((ulong)rng.NextInt64(1, (long)One + 1));
        }

        return factors;
    }

    // The factor the reporters cluster around: tier boundaries, extremes, near or far from the committed factor.
    private ulong Center(TokenState state)
    {
        var prev = state.Initialized ? state.Factor.Raw : (ulong)rng.NextInt64(1, (long)One + 1);
        return rng.Next(12) switch
        {
            0 => Clamp((ulong)Math.Pow(10, rng.NextDouble() * 18)),
            1 => TierBoundary(),
            2 => TierBoundary(),
            3 => rng.Next(2) == 0 ? 1 : One,
            4 => Clamp((ulong)(prev * (0.01 + rng.NextDouble() * 0.5))), // far below: the low clamps
            5 => Clamp((ulong)Math.Min(One, prev * (2 + rng.NextDouble() * 8))), // far above: the high clamps
            _ => Clamp((ulong)(prev * (0.7 + rng.NextDouble() * 0.6))), // near prev
        };
    }

    // Medians on and next to the rounding points of step 6 and the tier thresholds 1e16, 1e17 and 1e18.
    private ulong TierBoundary()
    {
        var d = (ulong)rng.Next(0, 3); // -1, 0, +1 below
        return rng.Next(5) switch
        {
            0 => Clamp((ulong)rng.Next(0, 10) * 1_000_000_000_000_000UL + 500_000_000_000_000UL + d - 1),
            1 => Clamp((ulong)rng.Next(1, 10) * 10_000_000_000_000_000UL + 5_000_000_000_000_000UL + d - 1),
            2 => Clamp((ulong)rng.Next(2, 20) * 50_000_000_000_000_000UL + 25_000_000_000_000_000UL + d - 1),
            3 => Clamp((rng.Next(2) == 0 ? 10_000_000_000_000_000UL : 100_000_000_000_000_000UL) + d - 1),
            _ => Clamp(One - (ulong)rng.Next(0, 3) * 25_000_000_000_000_000UL + d - 1),
        };
    }

    private ulong Jitter(ulong center, ulong bps)
    {
        var max = (ulong)((UInt128)center * bps / 10_000);
        var delta = max == 0 ? 0 : (ulong)rng.NextInt64(0, (long)Math.Min(max, long.MaxValue - 1) + 1);
        return Clamp(rng.Next(2) == 0 ? center - Math.Min(delta, center - 1) : center + delta);
    }

    // Circulating values: mostly agreed; sometimes split into two or three camps (ties included), sometimes past uint128.
    private TokenAmount[] Supplies(TokenState state, int count)
    {
        var agreed = rng.Next(20) switch
        {
            0 => new TokenAmount((BigInteger.One << 128) + rng.Next(0, 5)), // c* does not fit uint128: FrozenSupply
            1 => new TokenAmount(BigInteger.One << 127),
            < 5 when state.Initialized => state.Circulating,
            < 10 => new TokenAmount((UInt128)rng.NextInt64(1, 1_000_000)),
            _ => new TokenAmount(new BigInteger(rng.NextDouble() * 1e30) + 1),
        };
        var supplies = Enumerable.Repeat(agreed, count).ToArray();
        if (count > 1 && rng.Next(4) == 0)
        {
            var camps = rng.Next(2, 4);
            for (var i = 0; i < count; i++)
            {
                supplies[i] = new TokenAmount(agreed.Value + rng.Next(0, camps) - (agreed.Value > 1 ? rng.Next(0, 2) : 0));
            }
        }

        return supplies;
    }

    private int Pick(params (int Weight, int Value)[] choices)
    {
        var roll = rng.Next(choices.Sum(c => c.Weight));
        foreach (var (weight, value) in choices)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }

        return choices[^1].Value;
    }

    private static ulong Clamp(ulong factor) => Math.Clamp(factor, 1, One);
}
