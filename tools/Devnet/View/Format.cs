using System.Globalization;
using System.Numerics;

namespace SupplyOracle.Devnet.View;

/// <summary>How figures are printed: factors as decimals of 1e18 (WAD), supplies in whole tokens.</summary>
internal static class Format
{
    private const ulong Wad = 1_000_000_000_000_000_000;

    /// <summary>A WAD factor with six decimals, truncated (e.g. <c>0.800000</c>).</summary>
    public static string Factor(ulong wad) =>
        string.Create(CultureInfo.InvariantCulture, $"{wad / Wad}.{wad % Wad / 1_000_000_000_000:D6}");

    /// <summary>Native units as whole tokens with thousands separators (truncated).</summary>
    public static string Tokens(BigInteger units, int decimals) =>
        (units / BigInteger.Pow(10, decimals)).ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A short hash: <c>0x1234…abcd</c>.</summary>
    public static string Short(string hex) => hex.Length > 14 ? $"{hex[..6]}…{hex[^4..]}" : hex;

    /// <summary>An age in seconds as <c>12s</c>, <c>3m 04s</c>, <c>1h 02m</c>, <c>14d 00h</c>.</summary>
    public static string Age(ulong seconds) => seconds switch
    {
        < 60 => $"{seconds}s",
        < 3_600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m {seconds % 60:D2}s"),
        < 86_400 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3_600}h {seconds % 3_600 / 60:D2}m"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86_400}d {seconds % 86_400 / 3_600:D2}h"),
    };
}
