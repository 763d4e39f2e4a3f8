using System.Globalization;

namespace SupplyOracle.Rules.Domain;

/// <summary>Strict parsing of unsigned decimal integers as carried in JSON strings: ASCII digits only.</summary>
internal static class DecimalText
{
    public static ulong ParseUInt64(string text)
    {
        RequireDigits(text);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{text}' does not fit uint64");
    }

    private static void RequireDigits(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text.Length > 100 || !text.All(char.IsAsciiDigit))
        {
            throw new FormatException($"expected an unsigned decimal integer (digits only), got '{Shorten(text)}'");
        }
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
