using Google.Protobuf;
using SupplyOracle.Grpc.Client;
using SupplyOracle.Grpc.Tests.TestServices;
using SupplyOracle.Grpc.Tests.V1;

namespace SupplyOracle.Grpc.Tests.Server;

/// <summary>Our client against our server: the four call shapes, statuses, metadata, deadlines and message limits.</summary>
public sealed class CallShapeTests : ServerTestBase
{
    [Fact]
    public async Task Unary_EchoRequest_ReturnsResponseWithMetadataEchoed()
    {
        var headers = new Metadata().Add("x-echo", "hello").Add("x-echo-bin", new byte[] { 0, 1, 2, 255 });
        var response = await Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "hi", Payload = ByteString.CopyFromUtf8("p") }, new CallOptions(headers));
        Assert.Equal("hi", response.Text);
        Assert.Equal("p", response.Payload.ToStringUtf8());
        Assert.Equal("hello", response.EchoHeader);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, response.EchoBinary.ToByteArray());
        Assert.False(response.HasDeadline);
    }

    [Fact]
    public async Task ServerStreaming_CountFive_ReturnsFiveMessagesInOrderThenTrailers()
    {
        using var call = Channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest { Text = "s", Count = 5 },
            new CallOptions(new Metadata().Add("x-echo-bin", new byte[] { 9 }).Add("x-echo", "early")));
        var indexes = new List<int>();
        await foreach (var message in call.ResponseStream.ReadAllAsync())
        {
            indexes.Add(message.Index);
        }

        Assert.Equal([0, 1, 2, 3, 4], indexes);
        Assert.Equal(new byte[] { 9 }, call.GetTrailers()!.GetBytes("x-echo-bin"));
        Assert.Equal("early", (await call.ResponseHeadersAsync()).GetValue("x-echo-header"));
    }

    [Fact]
    public async Task ClientStreaming_ThreeRequests_ReturnsAggregate()
    {
        using var call = Channel.ClientStreaming(EchoMethods.ClientStream);
        foreach (var text in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text, Payload = ByteString.CopyFrom(new byte[10]) });
        }

        await call.RequestStream.CompleteAsync();
        var response = await call.ResponseAsync;
        Assert.Equal("a,b,c", response.Text);
        Assert.Equal(3, response.Index);
        Assert.Equal(30L, BitConverter.ToInt64(response.Payload.Span));
    }

    [Fact]
    public async Task Duplex_PingPong_EachRequestAnsweredBeforeTheNextIsSent()
    {
        using var call = Channel.DuplexStreaming(EchoMethods.Bidi);
        for (var i = 0; i < 20; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNextAsync());
            Assert.Equal($"m{i}", call.ResponseStream.Current.Text);
            Assert.Equal(i, call.ResponseStream.Current.Index);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNextAsync());
    }

    [Fact]
    public async Task Unary_HandlerThrowsStatus_ClientSeesCodeDetailAndTrailers()
    {
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() =>
            Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { FailCode = (int)StatusCode.FailedPrecondition, FailMessage = "nope: 100% ünïcode\n" }));
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal("nope: 100% ünïcode\n", e.Detail);
        Assert.Equal("requested", e.Trailers.GetValue("x-fail-reason"));
    }

    [Fact]
    public async Task Unary_HandlerThrowsOtherException_UnknownWithoutDetails()
    {
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "throw" }));
        Assert.Equal(StatusCode.Unknown, e.StatusCode);
        Assert.DoesNotContain("secret", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplex_FailureMidStream_ResponsesThenStatus()
    {
        using var call = Channel.DuplexStreaming(EchoMethods.Bidi);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "ok" });
        Assert.True(await call.ResponseStream.MoveNextAsync());
        await call.RequestStream.WriteAsync(new EchoRequest { FailCode = (int)StatusCode.Aborted, FailMessage = "conflict" });
        var e = await Assert.ThrowsAsync<GrpcStatusException>(async () => await call.ResponseStream.MoveNextAsync());
        Assert.Equal(StatusCode.Aborted, e.StatusCode);
        Assert.Equal("conflict", e.Detail);
    }

    [Fact]
    public async Task Duplex_ServerEndsCallWhileClientKeepsWriting_WritesNeverHang()
    {
        using var call = Channel.DuplexStreaming(EchoMethods.Bidi);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "first" });
        Assert.True(await call.ResponseStream.MoveNextAsync());
        await call.RequestStream.WriteAsync(new EchoRequest { FailCode = (int)StatusCode.Aborted, FailMessage = "gone" });
        for (var i = 0; i < 200; i++)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await call.RequestStream.WriteAsync(new EchoRequest { Text = $"late {i}", Payload = ByteString.CopyFrom(new byte[1000]) }, timeout.Token);
            }
            catch (GrpcStatusException e)
            {
                // Writes either fail at once, saying the server ended the call, or are discarded (HttpClient drops the body
                // of a stream the server has finished); they never wait for a response that will not come.
                Assert.False(timeout.IsCancellationRequested, $"write {i} hung for 10 s after the server ended the call");
                Assert.Contains("server ended the call", e.Detail, StringComparison.Ordinal);
                break;
            }

            if (i % 20 == 0)
            {
                await Task.Delay(10);
            }
        }

        var status = await Assert.ThrowsAsync<GrpcStatusException>(async () => await call.ResponseStream.MoveNextAsync());
        Assert.Equal(StatusCode.Aborted, status.StatusCode);
    }

    [Fact]
    public async Task Unary_DeadlineShorterThanHandler_DeadlineExceeded()
    {
        var started = TimeProvider.System.GetTimestamp();
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => Channel.UnaryAsync(EchoMethods.Unary,
            new EchoRequest { DelayMs = 5_000 }, new CallOptions(Deadline: TimeProvider.System.GetUtcNow().AddMilliseconds(200))));
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Unary_DeadlineInThePast_DeadlineExceededWithoutCallingServer()
    {
        var before = Server.Echo.UnaryCalls;
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => Channel.UnaryAsync(EchoMethods.Unary,
            new EchoRequest(), new CallOptions(Deadline: TimeProvider.System.GetUtcNow().AddSeconds(-1))));
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.Equal(before, Server.Echo.UnaryCalls);
    }

    [Fact]
    public async Task Unary_WithDeadline_ServerSeesDeadline()
    {
        var response = await Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest(), new CallOptions(Deadline: TimeProvider.System.GetUtcNow().AddSeconds(30)));
        Assert.True(response.HasDeadline);
    }

    [Fact]
    public async Task ServerStreaming_ClientCancels_Cancelled()
    {
        using var cts = new CancellationTokenSource();
        using var call = Channel.ServerStreaming(EchoMethods.ServerStream, new EchoRequest { Count = 1000, DelayMs = 10 }, new CallOptions(CancellationToken: cts.Token));
        Assert.True(await call.ResponseStream.MoveNextAsync());
        await cts.CancelAsync();
        var e = await Assert.ThrowsAsync<GrpcStatusException>(async () =>
        {
            while (await call.ResponseStream.MoveNextAsync())
            {
            }
        });
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
    }

    [Fact]
    public async Task Unary_MessageOf3MiB_RoundTrips()
    {
        var payload = EchoService.Pattern(3 * 1024 * 1024);
        var response = await Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Payload = ByteString.CopyFrom(payload) });
        Assert.Equal(payload, response.Payload.ToByteArray());
    }

    [Fact]
    public async Task Unary_RequestAboveServerLimit_ResourceExhausted()
    {
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() =>
            Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Payload = ByteString.CopyFrom(new byte[(4 * 1024 * 1024) + 1]) }));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task Unary_ResponseAboveClientLimit_ResourceExhausted()
    {
        using var small = Server.Channel(new GrpcChannelOptions { MaxReceiveMessageSize = 1024 });
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => small.UnaryAsync(EchoMethods.Unary, new EchoRequest { ResponseSize = 2048 }));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task Unary_ConcurrentCalls_AllSucceed()
    {
        var calls = Enumerable.Range(0, 200).Select(i => Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = $"c{i}" }));
        var responses = await Task.WhenAll(calls);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"c{i}"), responses.Select(r => r.Text));
    }

    [Fact]
    public void UnaryAsync_StreamingMethod_ThrowsInvalidOperation()
    {
        var e = Assert.Throws<InvalidOperationException>(() => { _ = Channel.UnaryAsync(EchoMethods.Bidi, new EchoRequest()); });
        Assert.Contains("duplex streaming", e.Message, StringComparison.Ordinal);
    }
}
