using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Benchmarks.GasDay;

/// <summary>
/// The simulated week's supply and free-float figures per token and hour, the same for both oracles (deterministic
/// from the seed):
/// <list type="bullet">
/// <item>each token's free-float factor sits on a 5 % tier value between 0.55 and 0.90 (so a one-tier move fits the
/// 10 % step clamp in one commit); every hour it moves one tier up or down with probability 1/240, i.e. a tier change
/// per token every ~10 days on average, at a random hour;</item>
/// <item>each reporter reports the factor with its own noise of up to ±0.3 % (inside the 2 % divergence band, never
/// across a rounding point);</item>
/// <item>excluded balances (30 % of the supply) drift linearly by 0.1 % a day, up or down per token, so the circulating
/// supply every reporter reads at B_r changes every hour by a little (~0.04 % a day, inside supplyDeviationBps 50);</item>
/// <item>five vesting unlocks in the week (random tokens, random hours) move 5 % of the supply out of the excluded
/// balances: circulating rises by ~7 % at once.</item>
/// </list>
/// Variants for sensitivity runs: another excluded-balance drift (0 keeps circulating fixed between unlocks), and
/// <c>daily</c> tier changes (the same rate, drawn only at one hour of the day, as when free-float sources refresh daily).
/// </summary>
internal sealed class ChangePattern
{
    private const double TierChangePerHour = 1.0 / 240;
    private const double ExcludedShare = 0.30;
    private const int DailyRefreshHour = 14;
    private const double UnlockShare = 0.05;
    private const int Unlocks = 5;
    private const double NoiseBps = 30;

    private readonly Random _rng;
    private readonly int[] _tier; // factor = tier * 0.05
    private readonly BigInteger[] _supply;
    private readonly int[] _driftSign;
    private readonly double[] _unlocked;
    private readonly Dictionary<int, int> _unlockAt = []; // hour -> token
    private readonly double _driftPerDay;
    private readonly bool _daily;

    public ChangePattern(int tokens, int hours, int seed, double driftPerDay = 0.001, bool daily = false)
    {
        _driftPerDay = driftPerDay;
        _daily = daily;
        _rng = new Random(seed);
        _tier = [.. Enumerable.Range(0, tokens).Select(_ => _rng.Next(11, 19))];
        _supply = [.. Enumerable.Range(0, tokens).Select(_ => new BigInteger(_rng.Next(1_000_000, 1_000_000_000)) * BigInteger.Pow(10, 18))];
        _driftSign = [.. Enumerable.Range(0, tokens).Select(_ => _rng.Next(2) == 0 ? -1 : 1)];
        _unlocked = new double[tokens];
        while (_unlockAt.Count < Unlocks)
        {
            _unlockAt.TryAdd(_rng.Next(1, hours + 1), _rng.Next(tokens));
        }
    }

    /// <summary>Tier moves so far.</summary>
    public int TierChanges { get; private set; }

    /// <summary>Vesting unlocks so far.</summary>
    public int UnlocksDone { get; private set; }

    /// <summary>Advances to hour <paramref name="hour"/>: draws the tier moves and applies an unlock due then.</summary>
    public void Advance(int hour)
    {
        var chance = !_daily ? TierChangePerHour : hour % 24 == DailyRefreshHour ? 24 * TierChangePerHour : 0;
        for (var t = 0; t < _tier.Length; t++)
        {
            if (_rng.NextDouble() < chance)
            {
                _tier[t] += _tier[t] switch { <= 11 => 1, >= 18 => -1, _ => _rng.Next(2) == 0 ? -1 : 1 };
                TierChanges++;
            }
        }

        if (_unlockAt.TryGetValue(hour, out var token))
        {
            _unlocked[token] += UnlockShare;
            UnlocksDone++;
        }
    }

    /// <summary>Token <paramref name="token"/>'s circulating supply at hour <paramref name="hour"/> (what every reporter reads at B_r).</summary>
    public TokenAmount Circulating(int token, int hour)
    {
        var excluded = ExcludedShare * (1 + (_driftSign[token] * _driftPerDay * hour / 24.0)) - _unlocked[token];
        // parts per billion keep the arithmetic in integers once the share is known.
        var ppb = (long)Math.Round((1 - excluded) * 1e9);
        return new TokenAmount(_supply[token] * ppb / 1_000_000_000);
    }

    /// <summary>Reporter <paramref name="reporter"/>'s factor for <paramref name="token"/> now (the tier value with its noise).</summary>
    public Wad Factor(int token, int reporter, int hour)
    {
        var middle = (ulong)_tier[token] * 50_000_000_000_000_000UL;
        // Deterministic per (token, reporter, hour) noise in [-NoiseBps, +NoiseBps].
        var noise = (((token * 7919) + (reporter * 104_729) + (hour * 1_299_709)) % ((2 * (int)NoiseBps) + 1)) - NoiseBps;
        return new Wad((ulong)((double)middle * (1 + (noise / 10_000))));
    }
}
