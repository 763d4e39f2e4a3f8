using Microsoft.AspNetCore.Http;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Tests.Internal;

public sealed class MetadataTests
{
    [Theory]
    [InlineData("Upper")]
    [InlineData("sp ace")]
    [InlineData("grpc-custom")]
    [InlineData("")]
    public void Add_InvalidOrReservedKey_Throws(string key) =>
        Assert.ThrowsAny<ArgumentException>(() => new Metadata().Add(key, "v"));

    [Fact]
    public void Add_AsciiValueOnBinKey_Throws() => Assert.Throws<ArgumentException>(() => new Metadata().Add("x-bin", "v"));

    [Fact]
    public void Add_BytesOnAsciiKey_Throws() => Assert.Throws<ArgumentException>(() => new Metadata().Add("x", new byte[] { 1 }));

    [Fact]
    public void Add_NonPrintableValue_Throws() => Assert.Throws<ArgumentException>(() => new Metadata().Add("x", "a\u0001"));

    [Theory]
    [InlineData("AAEC/w")]
    [InlineData("AAEC/w==")]
    public void FromHeaders_BinaryPaddedOrUnpadded_Decodes(string value)
    {
        var headers = new HeaderDictionary { ["x-id-bin"] = value, ["te"] = "trailers", ["grpc-timeout"] = "1S", ["x-plain"] = "v" };
        var metadata = MetadataCodec.FromHeaders(headers);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, metadata.GetBytes("x-id-bin"));
        Assert.Equal("v", metadata.GetValue("x-plain"));
        Assert.Equal(2, metadata.Count);
    }

    [Fact]
    public void FromHeaders_CommaJoinedBinaryValues_SplitIntoEntries()
    {
        var metadata = MetadataCodec.FromHeaders(new HeaderDictionary { ["x-bin"] = "AQ,Ag==" });
        Assert.Equal([[1], [2]], metadata.Select(e => e.ValueBytes!));
    }

    [Fact]
    public void FromHeaders_InvalidBase64_Internal()
    {
        var e = Assert.Throws<GrpcStatusException>(() => MetadataCodec.FromHeaders(new HeaderDictionary { ["x-bin"] = "!!!" }));
        Assert.Equal(StatusCode.Internal, e.StatusCode);
    }

    [Fact]
    public void EncodeBinary_EmitsUnpadded() => Assert.Equal("AAEC/w", MetadataCodec.EncodeBinary([0, 1, 2, 255]));
}
