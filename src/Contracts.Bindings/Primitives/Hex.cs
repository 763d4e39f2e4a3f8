namespace SupplyOracle.Contracts.Bindings.Primitives;

/// <summary>Strict hex decoding for Ethereum values: optional 0x prefix, even length, hex digits only.</summary>
public static class Hex
{
    /// <summary>Decodes hex (with or without 0x). Throws <see cref="FormatException"/> naming the problem.</summary>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan();
        if (digits.Length % 2 != 0)
        {
            throw new FormatException($"hex string has an odd number of digits ({digits.Length}): '{Truncate(hex)}'");
        }

        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw new FormatException($"not a hex string: '{Truncate(hex)}'");
        }
    }

    /// <summary>Decodes hex (with or without 0x); false instead of an exception.</summary>
    public static bool TryDecode(string? hex, out byte[] bytes)
    {
        bytes = [];
        if (hex is null)
        {
            return false;
        }

        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan();
        if (digits.Length % 2 != 0)
        {
            return false;
        }

        bytes = new byte[digits.Length / 2];
        return Convert.FromHexString(digits, bytes, out _, out _) == System.Buffers.OperationStatus.Done;
    }

    /// <summary>Lower-case hex with a 0x prefix.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
