using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Tests.Primitives;

public sealed class AddressTests
{
    // The test vectors of EIP-55.
    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void ToChecksumString_Eip55Vectors_RoundTrip(string checksummed)
    {
        Assert.Equal(checksummed, Address.Parse(checksummed.ToLowerInvariant()).ToChecksumString());
        Assert.Equal(checksummed, Address.Parse(checksummed).ToString());
    }

    [Fact]
    public void Parse_MixedCaseWithWrongChecksum_Throws()
    {
        var ex = Assert.Throws<FormatException>(() => Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("0xzz5aeb6053f3e94c9b9a09f33669435e7ef1beae")]
    [InlineData("")]
    public void Parse_Malformed_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => Address.Parse(text));
    }

    [Fact]
    public void CompareTo_OrdersAsUnsigned160BitIntegers()
    {
        var low = Address.Parse("0x7fffffffffffffffffffffffffffffffffffffff");
        var high = Address.Parse("0x8000000000000000000000000000000000000000");
        var lowestByteDiffers = Address.Parse("0x8000000000000000000000000000000000000001");

        Assert.True(low < high);
        Assert.True(high < lowestByteDiffers);
        Assert.Equal(0, high.CompareTo(Address.Parse(high.ToString())));
    }

    [Fact]
    public void Keccak256_EmptyInput_MatchesKnownDigest()
    {
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Keccak256.Hash([]).ToString());
    }
}
