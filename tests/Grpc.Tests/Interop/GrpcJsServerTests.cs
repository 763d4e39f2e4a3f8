using Google.Protobuf;
using SupplyOracle.Grpc.Client;
using SupplyOracle.Grpc.Tests.TestServices;
using SupplyOracle.Grpc.Tests.V1;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Grpc.Tests.Interop;

/// <summary>Our client on HttpClient against @grpc/grpc-js's server (Interop/grpcjs-server.js).</summary>
public sealed class GrpcJsServerTests : IAsyncLifetime
{
    private TiedProcess _server = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        (_server, var address) = await NodeScripts.StartServerAsync();
        _channel = GrpcChannel.ForAddress(address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Unary_GrpcJsServer_EchoesMessageAndMetadata()
    {
        var headers = new Metadata().Add("x-echo", "hello").Add("x-echo-bin", new byte[] { 0, 1, 2, 255 });
        var response = await _channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "hi" }, new CallOptions(headers));
        Assert.Equal("hi", response.Text);
        Assert.Equal("hello", response.EchoHeader);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, response.EchoBinary.ToByteArray());
        Assert.False(response.HasDeadline);
    }

    [Fact]
    public async Task Unary_WithDeadline_GrpcJsServerSeesGrpcTimeout()
    {
        var response = await _channel.UnaryAsync(EchoMethods.Unary, new EchoRequest(), new CallOptions(Deadline: TimeProvider.System.GetUtcNow().AddSeconds(30)));
        Assert.True(response.HasDeadline);
    }

    [Fact]
    public async Task ServerStreaming_GrpcJsServer_AllMessagesThenTrailers()
    {
        using var call = _channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest { Count = 5 },
            new CallOptions(new Metadata().Add("x-echo-bin", new byte[] { 9 }).Add("x-echo", "early")));
        var indexes = new List<int>();
        await foreach (var m in call.ResponseStream.ReadAllAsync())
        {
            indexes.Add(m.Index);
        }

        Assert.Equal([0, 1, 2, 3, 4], indexes);
        Assert.Equal(new byte[] { 9 }, call.GetTrailers()!.GetBytes("x-echo-bin"));
        Assert.Equal("early", (await call.ResponseHeadersAsync()).GetValue("x-echo-header"));
    }

    [Fact]
    public async Task ServerStreaming_WeCancel_CancelledAndGrpcJsServerKeepsServing()
    {
        using var cts = new CancellationTokenSource();
        using var call = _channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest { Count = 200_000 }, new CallOptions(CancellationToken: cts.Token));
        for (var i = 0; i < 10; i++)
        {
            Assert.True(await call.ResponseStream.MoveNextAsync());
        }

        await cts.CancelAsync();
        var e = await Assert.ThrowsAsync<GrpcStatusException>(async () =>
        {
            while (await call.ResponseStream.MoveNextAsync())
            {
            }
        });
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        Assert.Equal("after", (await _channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "after" })).Text);
    }

    [Fact]
    public async Task ClientStreaming_GrpcJsServer_Aggregates()
    {
        using var call = _channel.ClientStreaming(EchoMethods.ClientStream);
        foreach (var t in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = t, Payload = ByteString.CopyFrom(new byte[10]) });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;
        Assert.Equal("a,b,c", response.Text);
        Assert.Equal(30L, BitConverter.ToInt64(response.Payload.Span));
    }

    [Fact]
    public async Task Duplex_GrpcJsServer_PingPong()
    {
        using var call = _channel.DuplexStreaming(EchoMethods.Bidi);
        for (var i = 0; i < 10; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNextAsync());
            Assert.Equal($"m{i}", call.ResponseStream.Current.Text);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNextAsync());
    }

    [Fact]
    public async Task Unary_GrpcJsServerStatus_CodeDetailAndTrailer()
    {
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() =>
            _channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { FailCode = 9, FailMessage = "nope: 100% ünïcode" }));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("nope: 100% ünïcode", e.Detail);
        Assert.Equal("requested", e.Trailers.GetValue("x-fail-reason"));
    }

    [Fact]
    public async Task Duplex_GrpcJsServerStatusMidStream_Surfaces()
    {
        using var call = _channel.DuplexStreaming(EchoMethods.Bidi);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "ok" });
        Assert.True(await call.ResponseStream.MoveNextAsync());
        await call.RequestStream.WriteAsync(new EchoRequest { FailCode = 10, FailMessage = "conflict" });
        var e = await Assert.ThrowsAsync<GrpcStatusException>(async () => await call.ResponseStream.MoveNextAsync());
        Assert.Equal(StatusCode.Aborted, e.StatusCode);
    }

    [Fact]
    public async Task Unary_DeadlinePasses_DeadlineExceeded()
    {
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => _channel.UnaryAsync(EchoMethods.Unary,
            new EchoRequest { DelayMs = 5000 }, new CallOptions(Deadline: TimeProvider.System.GetUtcNow().AddMilliseconds(200))));
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
    }

    [Fact]
    public async Task Unary_3MiBBothWays_RoundTrips()
    {
        var payload = EchoService.Pattern(3 * 1024 * 1024);
        var echoed = await _channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Payload = ByteString.CopyFrom(payload) });
        Assert.Equal(payload, echoed.Payload.ToByteArray());
        var generated = await _channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { ResponseSize = 3 * 1024 * 1024 });
        Assert.Equal(payload, generated.Payload.ToByteArray());
    }

    [Fact]
    public async Task Unary_RequestAboveGrpcJsLimit_ResourceExhausted()
    {
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() =>
            _channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Payload = ByteString.CopyFrom(new byte[(4 * 1024 * 1024) + 1]) }));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task Unary_ResponseAboveOurLimit_ResourceExhausted()
    {
        using var small = GrpcChannel.ForAddress(_channel.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => small.UnaryAsync(EchoMethods.Unary, new EchoRequest { ResponseSize = 2048 }));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task UnknownMethod_GrpcJsServer_Unimplemented()
    {
        // The grpc-js server serves only grpctest.v1.Echo: supplyoracle.v1.Gossip/Submit is unknown to it.
        var submit = GrpcMethod<SupplyOracle.Protocol.V1.ObservationBatch, SupplyOracle.Protocol.V1.Acknowledgement>.Create(
            SupplyOracle.Protocol.V1.GossipReflection.Descriptor.Services[0].FindMethodByName("Submit"));
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => _channel.UnaryAsync(submit, new SupplyOracle.Protocol.V1.ObservationBatch()));
        Assert.Equal(StatusCode.Unimplemented, e.StatusCode);
    }
}
