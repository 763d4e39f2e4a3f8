using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Tests.Internal;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100%", "100%25")]
    [InlineData("a\nb", "a%0Ab")]
    [InlineData("ü", "%C3%BC")]
    public void Encode_Examples_MatchPROTOCOLHTTP2(string message, string expected) => Assert.Equal(expected, PercentEncoding.Encode(message));

    [Theory]
    [InlineData("%", "%")]
    [InlineData("%4", "%4")]
    [InlineData("%zz", "%zz")]
    [InlineData("%C3", "\uFFFD")]
    [InlineData("%c3%bc", "ü")]
    public void Decode_MalformedInput_NeverFails(string value, string expected) => Assert.Equal(expected, PercentEncoding.Decode(value));

    [Fact]
    public void Encode_ThenDecode_RoundTripsAnyValidString()
    {
        Prop.ForAll<string>(s =>
        {
            s ??= "";
            if (s.Any(char.IsSurrogate))
            {
                return true; // lone surrogates are not valid UTF-16 text; the transport sends only valid text.
            }

            var encoded = PercentEncoding.Encode(s);
            return encoded.All(c => c is >= ' ' and <= '~') && PercentEncoding.Decode(encoded) == s;
        }).QuickCheckThrowOnFailure();
    }
}
