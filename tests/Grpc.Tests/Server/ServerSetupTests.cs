using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SupplyOracle.Grpc.Client;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Grpc.Tests.TestServices;
using SupplyOracle.Grpc.Tests.V1;

namespace SupplyOracle.Grpc.Tests.Server;

/// <summary>Registration from descriptors, options, and deadline propagation.</summary>
public sealed class ServerSetupTests
{
    private sealed class MissingMethods
    {
        public Task<EchoResponse> Unary(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoResponse());
    }

    [Fact]
    public void MapGrpcService_HandlerLacksAMethod_ThrowsNamingIt()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        var e = Assert.Throws<GrpcServiceBindingException>(() => app.MapGrpcService(EchoReflection.Descriptor.Services[0], new MissingMethods()));
        Assert.Equal("grpctest.v1.Echo", e.Service);
        Assert.Equal("ServerStream", e.Method);
    }

    [Fact]
    public void Validate_NonPositiveReceiveLimit_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new GrpcServerOptions { MaxReceiveMessageSize = 0 }.Validate());
        Assert.Equal("MaxReceiveMessageSize", e.ParamName);
    }

    [Fact]
    public async Task Unary_ConfiguredReceiveLimit_AppliesToRequests()
    {
        await using var server = await TestServer.StartAsync(maxReceiveMessageSize: 1024);
        using var channel = server.Channel();
        Assert.Equal(1000, (await channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Payload = ByteString.CopyFrom(new byte[1000]) })).Payload.Length);
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) }));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task Deadline_InjectedClock_FiresOnlyWhenTheClockPasses()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(timeProvider: clock);
        using var raw = new RawHttp2();
        var content = RawHttp2.Grpc(RawHttp2.Frame(new EchoRequest { DelayMs = 60_000 }.ToByteArray()));
        content.Headers.TryAddWithoutValidation("grpc-timeout", "100m");
        var call = raw.SendAsync(server.Http, "/grpctest.v1.Echo/Unary", content);

        // Real time passes well beyond 100 ms, but the server's clock does not: the call is still running.
        await Task.Delay(500);
        Assert.False(call.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(150));
        var r = await call.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("4", r.GrpcStatus);
    }

    [Fact]
    public async Task Duplex_ServerStops_StreamEndsWithStatusAndShutdownIsPrompt()
    {
        var server = await TestServer.StartAsync();
        using var channel = server.Channel();
        using var call = channel.DuplexStreaming(EchoMethods.Bidi);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "open" });
        Assert.True(await call.ResponseStream.MoveNextAsync());

        var started = TimeProvider.System.GetTimestamp();
        var stop = server.DisposeAsync().AsTask();
        var e = await Assert.ThrowsAsync<GrpcStatusException>(async () => await call.ResponseStream.MoveNextAsync());
        await stop;

        // The server sends UNAVAILABLE in the trailers; Kestrel then closes the connection (GOAWAY NO_ERROR). When the
        // close overtakes the trailers inside HttpClient, the client sees a connection closed with NO_ERROR, which
        // PROTOCOL-HTTP2.md maps to INTERNAL. Either way the stream ends at once with a status, not after a timeout.
        Assert.True(e.StatusCode is StatusCode.Unavailable or StatusCode.Internal, e.ToString());
        Assert.True(TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(10), "a long-lived stream must not hold up shutdown");
    }

    [Fact]
    public async Task PropagateFrom_ServerCallWithDeadline_DownstreamCallEndsByThatDeadline()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.Channel();
        using var upstreamAborted = new CancellationTokenSource();
        var deadline = TimeProvider.System.GetUtcNow().AddMilliseconds(300);
        var upstream = new ServerCallContext(new DefaultHttpContext(), "/up.Service/Call", deadline, upstreamAborted.Token);

        var options = CallOptions.PropagateFrom(upstream);
        Assert.Equal(deadline, options.Deadline);
        Assert.Equal(upstreamAborted.Token, options.CancellationToken);

        var downstream = channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { DelayMs = 5_000 }, options);
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => downstream);
        Assert.Equal(StatusCode.DeadlineExceeded, e.StatusCode);
        Assert.True(TimeProvider.System.GetUtcNow() < deadline.AddSeconds(3));
    }

    [Fact]
    public async Task PropagateFrom_UpstreamCancelled_DownstreamCancelled()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.Channel();
        using var upstreamAborted = new CancellationTokenSource();
        var upstream = new ServerCallContext(new DefaultHttpContext(), "/up.Service/Call", null, upstreamAborted.Token);
        var downstream = channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { DelayMs = 5_000 }, CallOptions.PropagateFrom(upstream));
        await Task.Delay(100);
        await upstreamAborted.CancelAsync();
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => downstream);
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
    }
}
