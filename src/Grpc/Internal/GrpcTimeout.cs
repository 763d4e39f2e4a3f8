using System.Globalization;

namespace SupplyOracle.Grpc.Internal;

/// <summary>
/// The <c>grpc-timeout</c> header (PROTOCOL-HTTP2.md: Timeout → "grpc-timeout" TimeoutValue TimeoutUnit; TimeoutValue is
/// at most 8 ASCII digits; TimeoutUnit is one of H, M, S, m, u, n).
/// </summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>Parses a header value; false for an absent or invalid value (an invalid header is ignored, REFERENCES.md).</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length is < 2 or > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        // Ticks are 100 ns; 99,999,999 hours overflows TimeSpan, so large values saturate to "no deadline" below.
        double ticks = value[^1] switch
        {
            'H' => amount * (double)TimeSpan.TicksPerHour,
            'M' => amount * (double)TimeSpan.TicksPerMinute,
            'S' => amount * (double)TimeSpan.TicksPerSecond,
            'm' => amount * (double)TimeSpan.TicksPerMillisecond,
            'u' => amount * 10.0,
            'n' => Math.Ceiling(amount / 100.0),
            _ => double.NaN,
        };
        if (double.IsNaN(ticks))
        {
            return false;
        }

        timeout = ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>
    /// Formats a remaining time the way grpc-dotnet does: whole milliseconds (rounded up), coarser units when the value
    /// needs more than 8 digits, and <c>1n</c> for a timeout that has already passed.
    /// </summary>
    public static string Format(TimeSpan remaining)
    {
        if (remaining <= TimeSpan.Zero)
        {
            return "1n";
        }

        var ms = (long)Math.Ceiling(remaining.TotalMilliseconds);
        if (ms <= MaxValue)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var s = (long)Math.Ceiling(remaining.TotalSeconds);
        if (s <= MaxValue)
        {
            return s.ToString(CultureInfo.InvariantCulture) + "S";
        }

        var m = (long)Math.Ceiling(remaining.TotalMinutes);
        return m <= MaxValue
            ? m.ToString(CultureInfo.InvariantCulture) + "M"
            : Math.Min(MaxValue, (long)Math.Ceiling(remaining.TotalHours)).ToString(CultureInfo.InvariantCulture) + "H";
    }
}
