using SupplyOracle.Governance.Cli;

namespace SupplyOracle.Governance.Tests.Cli;

public sealed class SessionParsingTests
{
    [Theory]
    [InlineData("1", "1000000000000000000")]
    [InlineData("0.25", "250000000000000000")]
    [InlineData("2.5", "2500000000000000000")]
    [InlineData("0.000000001", "1000000000")]
    public void ParseWad_Decimal_ScalesBy1e18(string text, string expected) =>
        Assert.Equal(expected, Session.ParseWad("--price", text).ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("-1")]
    [InlineData("1e5")]
    [InlineData("abc")]
    [InlineData("0.0000000001")]
    public void ParseWad_BadText_ThrowsNamingTheOption(string text)
    {
        var ex = Assert.Throws<CliInputException>(() => Session.ParseWad("--cap", text));

        Assert.Equal("--cap", ex.Option);
    }

    [Fact]
    public void ParseAddress_BadChecksum_ThrowsNamingTheOption()
    {
        // EIP-55: mixed case must match the checksum; one flipped letter is rejected.
        var ex = Assert.Throws<CliInputException>(() => Session.ParseAddress("--account", "0x5fbDB2315678afecb367f032d93F642f64180aa3"));

        Assert.Equal("--account", ex.Option);
    }
}
