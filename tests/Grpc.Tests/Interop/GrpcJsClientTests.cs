using SupplyOracle.Grpc.Tests.TestServices;

namespace SupplyOracle.Grpc.Tests.Interop;

/// <summary>@grpc/grpc-js as the client, our server on Kestrel as the server.</summary>
public sealed class GrpcJsClientTests : ServerTestBase
{
    private Task<System.Text.Json.JsonElement> Run(string scenario) => NodeScripts.RunClientAsync(Server.Http, scenario);

    [Fact]
    public async Task Unary_GrpcJsClient_EchoesMessageAndBothMetadataKinds()
    {
        var r = await Run("unary");
        Assert.Equal("hi", r.GetProperty("text").GetString());
        Assert.Equal("p", r.GetProperty("payload").GetString());
        Assert.Equal("hello", r.GetProperty("echoHeader").GetString());
        Assert.Equal("000102ff", r.GetProperty("echoBinary").GetString());
        Assert.False(r.GetProperty("hasDeadline").GetBoolean());
    }

    [Fact]
    public async Task Unary_GrpcJsDeadline_ServerSeesGrpcTimeout()
    {
        var r = await Run("unary-deadline-propagated");
        Assert.True(r.GetProperty("hasDeadline").GetBoolean());
    }

    [Fact]
    public async Task ServerStreaming_GrpcJsClient_ReceivesAllMessagesAndTrailers()
    {
        var r = await Run("server-stream");
        Assert.Equal([0, 1, 2, 3, 4], r.GetProperty("indexes").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(0, r.GetProperty("code").GetInt32());
        Assert.Equal("09", r.GetProperty("trailer").GetString());
        Assert.Equal("early", r.GetProperty("header").GetString());
    }

    [Fact]
    public async Task ServerStreaming_GrpcJsCancels_CancelledAndServerKeepsServing()
    {
        var r = await Run("cancel-stream");
        Assert.Equal(1, r.GetProperty("code").GetInt32());
        Assert.True(r.GetProperty("received").GetInt32() >= 10);
        Assert.Equal("after cancel", r.GetProperty("after").GetString());
    }

    [Fact]
    public async Task ClientStreaming_GrpcJsClient_GetsAggregate()
    {
        var r = await Run("client-stream");
        Assert.Equal("a,b,c", r.GetProperty("text").GetString());
        Assert.Equal(3, r.GetProperty("index").GetInt32());
        Assert.Equal(30, r.GetProperty("bytes").GetInt32());
    }

    [Fact]
    public async Task Duplex_GrpcJsClient_PingPong()
    {
        var r = await Run("bidi");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"m{i}"), r.GetProperty("texts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, r.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Unary_HandlerStatus_GrpcJsDecodesCodePercentEncodedMessageAndTrailer()
    {
        var r = await Run("error");
        Assert.Equal(9, r.GetProperty("code").GetInt32());
        Assert.Equal("nope: 100% ünïcode", r.GetProperty("details").GetString());
        Assert.Equal("requested", r.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Unary_HandlerThrows_GrpcJsSeesUnknown()
    {
        var r = await Run("handler-throws");
        Assert.Equal(2, r.GetProperty("code").GetInt32());
        Assert.DoesNotContain("secret", r.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplex_HandlerStatusMidStream_GrpcJsSeesIt()
    {
        var r = await Run("bidi-error");
        Assert.Equal(10, r.GetProperty("code").GetInt32());
        Assert.Equal("conflict", r.GetProperty("details").GetString());
    }

    [Fact]
    public async Task Unary_DeadlinePasses_GrpcJsSeesDeadlineExceeded()
    {
        var r = await Run("deadline");
        Assert.Equal(4, r.GetProperty("code").GetInt32());
        Assert.InRange(r.GetProperty("elapsedMs").GetInt32(), 150, 3000);
    }

    [Fact]
    public async Task Unary_3MiBBothWays_GrpcJsRoundTrips()
    {
        var r = await Run("large");
        Assert.Equal(3 * 1024 * 1024, r.GetProperty("length").GetInt32());
        Assert.True(r.GetProperty("equal").GetBoolean());
        var big = await Run("large-response");
        Assert.True(big.GetProperty("equal").GetBoolean());
    }

    [Fact]
    public async Task Unary_RequestAboveLimit_GrpcJsSeesResourceExhausted()
    {
        var r = await Run("too-large");
        Assert.Equal(8, r.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task UnknownMethod_GrpcJsSeesUnimplemented()
    {
        var r = await Run("unimplemented");
        Assert.Equal(12, r.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task GossipAndStatus_GrpcJsClient_AllShapesOfTheRealServices()
    {
        var r = await Run("gossip");
        Assert.True(r.GetProperty("submit").GetProperty("accepted").GetBoolean());
        Assert.Equal("7", r.GetProperty("submit").GetProperty("round").GetString());
        Assert.False(r.GetProperty("badSubmit").GetProperty("accepted").GetBoolean());
        Assert.Equal("REJECT_REASON_BAD_SIGNATURE", r.GetProperty("badSubmit").GetProperty("reason").GetString());
        var relay = r.GetProperty("relay");
        Assert.Equal(2, relay.GetProperty("accepted").GetInt32());
        Assert.Equal(1, relay.GetProperty("duplicates").GetInt32());
        Assert.Equal(["acknowledgement", "proposal", "acknowledgement"], r.GetProperty("connect").GetProperty("kinds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["1", "2", "3"], r.GetProperty("watch").GetProperty("rounds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(5, r.GetProperty("notFound").GetInt32());
    }
}
