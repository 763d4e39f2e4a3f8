using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Rules.Engine.Internal;

/// <summary>
/// The integer arithmetic of docs/protocol.md section 5. Products of a factor (&lt;= 1e18) and bps (&lt;= 1e4) reach 1e22,
/// past uint64, so they are taken in <see cref="UInt128"/>; every division rounds toward zero unless a step says ceil.
/// </summary>
internal static class RulesMath
{
    private const ulong Tier5e16 = 50_000_000_000_000_000UL;
    private const ulong Tier1e16 = 10_000_000_000_000_000UL;
    private const ulong Tier1e15 = 1_000_000_000_000_000UL;
    private const ulong OneTenth = 100_000_000_000_000_000UL;

    /// <summary>Step 4: the middle value, or <c>floor((a + b) / 2)</c> of the two middle values. Sorts in place.</summary>
    public static ulong Median(ulong[] values)
    {
        Array.Sort(values);
        var mid = values.Length / 2;
        // Both values are <= 1e18, so the sum (<= 2e18) fits uint64.
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /// <summary>Step 5: <c>ceil(m * divergenceToleranceBps / 10000)</c>.</summary>
    public static ulong Band(ulong median, uint toleranceBps)
    {
        var product = (UInt128)median * toleranceBps;
        return (ulong)((product + (Parameters.RulesParameters.BpsDenominator - 1)) / Parameters.RulesParameters.BpsDenominator);
    }

    /// <summary>Steps 9 and 10: <c>floor(base * bps / 10000)</c>.</summary>
    public static ulong FloorBps(ulong value, uint bps) =>
        (ulong)((UInt128)value * bps / Parameters.RulesParameters.BpsDenominator);

    /// <summary>
    /// Step 6: tier = 5e16 if m &gt;= 1e17, 1e16 if m &gt;= 1e16, else 1e15; <c>floor((m + tier/2) / tier) * tier</c>
    /// (half up), capped at 1e18; a zero result becomes one tier.
    /// </summary>
    public static ulong TierRound(ulong median)
    {
        var tier = median >= OneTenth ? Tier5e16 : median >= Tier1e16 ? Tier1e16 : Tier1e15;
        var rounded = (median + (tier / 2)) / tier * tier;
        rounded = Math.Min(rounded, Wad.OneRaw);
        return rounded == 0 ? tier : rounded;
    }

    /// <summary><c>a &gt;= b + c</c> without overflow.</summary>
    public static bool AtLeastSum(ulong a, ulong b, ulong c) => (UInt128)a >= (UInt128)b + c;
}
