using System.Globalization;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Governance.Cli;

/// <summary>Input parsing with errors that name the option.</summary>
internal sealed partial class Session
{
    public static Address ParseAddress(string option, string text)
    {
        if (!Address.TryParse(text, out var address))
        {
            throw new CliInputException(option, $"'{text}' is not an address (0x and 40 hex digits, EIP-55 checksum if mixed case)");
        }

        return address;
    }

    public static string ReadFile(string option, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliInputException(option, $"cannot read '{path}': {ex.Message}");
        }
    }

    public static byte[] ReadBytes(string option, string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliInputException(option, $"cannot read '{path}': {ex.Message}");
        }
    }

    /// <summary>A decimal number as a WAD (1e18 = 1.0), e.g. <c>0.25</c>, <c>1</c>, <c>1234.5</c>.</summary>
    public static BigInteger ParseWad(string option, string text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new CliInputException(option, $"'{text}' is not a non-negative decimal number");
        }

        var scaled = value * 1_000_000_000m;
        if (scaled != decimal.Truncate(scaled))
        {
            throw new CliInputException(option, $"'{text}' has more than 9 decimal places");
        }

        return new BigInteger(scaled) * 1_000_000_000;
    }
}
