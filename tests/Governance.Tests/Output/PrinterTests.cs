using System.Numerics;
using SupplyOracle.Governance.Output;

namespace SupplyOracle.Governance.Tests.Output;

public sealed class PrinterTests
{
    [Theory]
    [InlineData(3552, "59m 12s")]
    [InlineData(3600, "1h")]
    [InlineData(90_061, "1d 1h 1m 1s")]
    [InlineData(0, "0s")]
    [InlineData(-5, "0s")]
    public void Duration_Seconds_LargestUnitsFirstWithoutZeros(long seconds, string expected) => Assert.Equal(expected, Printer.Duration(seconds));

    [Theory]
    [InlineData("1000000000000000000", "1")]
    [InlineData("250000000000000000", "0.25")]
    [InlineData("1", "0.000000000000000001")]
    [InlineData("12345000000000000000000", "12345")]
    public void Wad_Value_PrintsExactDecimal(string wad, string expected) =>
        Assert.Equal(expected, Printer.Wad(BigInteger.Parse(wad, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Table_CellsWithMarkupCharacters_ArePrintedLiterally()
    {
        using var writer = new StringWriter();
        var printer = new Printer(writer, json: false);

        printer.Table("[title]", ["[col]"], [["[bold]x[/]"]]);

        Assert.Contains("[bold]x[/]", writer.ToString(), StringComparison.Ordinal);
        Assert.Contains("[title]", writer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1000000000000000000000000", 18, "TKA", "1,000,000 TKA")]
    [InlineData("1234567500000", 6, "TKB", "1,234,567.5 TKB")]
    [InlineData("1", 18, null, "0.000000000000000001")]
    [InlineData("999", 0, "X", "999 X")]
    public void Tokens_NativeUnits_WholeTokensWithSeparatorsAndSymbol(string native, int decimals, string? symbol, string expected) =>
        Assert.Equal(expected, Printer.Tokens(BigInteger.Parse(native, System.Globalization.CultureInfo.InvariantCulture), new TokenUnits(decimals, symbol)));

    [Fact]
    public void Amount_Raw_PrintsNativeUnits()
    {
        var printer = new Printer(TextWriter.Null, json: false, raw: true);

        Assert.Equal("1234567500000 (native units of TKB)", printer.Amount(1_234_567_500_000, new TokenUnits(6, "TKB")));
    }

    [Theory]
    [InlineData(200UL, "2% (200 bps)")]
    [InlineData(50UL, "0.5% (50 bps)")]
    [InlineData(10_000UL, "100% (10000 bps)")]
    public void Bps_Value_PercentWithBasisPoints(ulong bps, string expected) => Assert.Equal(expected, Printer.Bps(bps));
}
