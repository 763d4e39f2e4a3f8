using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Tests.Primitives;

public sealed class HexTests
{
    [Theory]
    [InlineData("0x123")]
    [InlineData("0xgg")]
    [InlineData("0x 12")]
    [InlineData("12-3")]
    public void Decode_MalformedHex_ThrowsFormatException(string hex) => Assert.Throws<FormatException>(() => Hex.Decode(hex));

    [Theory]
    [InlineData("0x")]
    [InlineData("0x00")]
    [InlineData("0x000000000000000000000000000000000000000000000000000000000000000000")]
    public void Hash32Parse_WrongLength_ThrowsFormatException(string hex) => Assert.Throws<FormatException>(() => Hash32.Parse(hex));

    [Fact]
    public void Decode_UpperAndLowerCase_GiveTheSameBytes()
    {
        Assert.Equal(Hex.Decode("0xABcdEF"), Hex.Decode("abcdef"));
        Assert.Equal("0xabcdef", Hex.Encode(Hex.Decode("0XABCDEF")));
    }
}
