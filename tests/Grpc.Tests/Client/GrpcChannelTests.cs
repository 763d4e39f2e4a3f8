using SupplyOracle.Grpc.Client;
using SupplyOracle.Grpc.Tests.TestServices;
using SupplyOracle.Grpc.Tests.V1;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Grpc.Tests.Client;

/// <summary>GrpcChannel: retry with backoff on UNAVAILABLE (grpc/proposal A6), handler settings, option validation.</summary>
public sealed class GrpcChannelTests : ServerTestBase
{
    [Fact]
    public async Task Unary_TwoUnavailableThenOk_SucceedsOnThirdAttempt()
    {
        Server.Echo.FailNextWithUnavailable(2);
        var before = Server.Echo.UnaryCalls;
        var response = await Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "flaky" });
        Assert.Equal("flaky", response.Text);
        Assert.Equal(3, Server.Echo.UnaryCalls - before);
    }

    [Fact]
    public async Task Unary_Unavailable_BacksOffOnTheInjectedClock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var channel = Server.Channel(new GrpcChannelOptions
        {
            TimeProvider = clock,
            Retry = new GrpcRetryOptions { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromSeconds(10) },
        });
        Server.Echo.FailNextWithUnavailable(1);
        var before = Server.Echo.UnaryCalls;
        var call = channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "flaky" });

        // The first attempt failed; the retry waits for the backoff, which only the injected clock can end.
        await Task.Delay(500);
        Assert.False(call.IsCompleted);
        Assert.Equal(1, Server.Echo.UnaryCalls - before);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("flaky", (await call.WaitAsync(TimeSpan.FromSeconds(10))).Text);
        Assert.Equal(2, Server.Echo.UnaryCalls - before);
    }

    [Fact]
    public async Task Unary_AlwaysUnavailable_GivesUpAfterMaxAttempts()
    {
        Server.Echo.FailNextWithUnavailable(100);
        var before = Server.Echo.UnaryCalls;
        using var channel = Server.Channel(new GrpcChannelOptions { Retry = new GrpcRetryOptions { MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(10) } });
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "flaky" }));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal(3, Server.Echo.UnaryCalls - before);
    }

    [Fact]
    public async Task Unary_RetryDisabled_FailsAtOnce()
    {
        Server.Echo.FailNextWithUnavailable(1);
        var before = Server.Echo.UnaryCalls;
        using var channel = Server.Channel(new GrpcChannelOptions { Retry = null });
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "flaky" }));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
        Assert.Equal(1, Server.Echo.UnaryCalls - before);
    }

    [Fact]
    public async Task Unary_OtherStatus_NotRetried()
    {
        var before = Server.Echo.UnaryCalls;
        await Assert.ThrowsAsync<GrpcStatusException>(() => Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { FailCode = (int)StatusCode.Internal }));
        Assert.Equal(1, Server.Echo.UnaryCalls - before);
    }

    [Fact]
    public async Task Unary_NobodyListening_UnavailableAfterRetries()
    {
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{FreePort.Next()}"),
            new GrpcChannelOptions { Retry = new GrpcRetryOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) } });
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => channel.UnaryAsync(EchoMethods.Unary, new EchoRequest()));
        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    [Fact]
    public void ForAddress_KeepAliveBelowFiveMinutes_ThrowsNamingTheSetting()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            GrpcChannel.ForAddress(new Uri("http://127.0.0.1:1"), new GrpcChannelOptions { KeepAlivePingDelay = TimeSpan.FromMinutes(4) }));
        Assert.Equal("KeepAlivePingDelay", e.ParamName);
    }

    [Fact]
    public void ForAddress_Defaults_KeepAliveEveryFiveMinutesOnlyWithActiveCallsAndMultipleConnections()
    {
        using var channel = GrpcChannel.ForAddress(new Uri("http://127.0.0.1:1"));
        var handler = Assert.IsType<SocketsHttpHandler>(channel.Handler);
        Assert.Equal(TimeSpan.FromMinutes(5), handler.KeepAlivePingDelay);
        Assert.Equal(HttpKeepAlivePingPolicy.WithActiveRequests, handler.KeepAlivePingPolicy);
        Assert.True(handler.EnableMultipleHttp2Connections);
        Assert.Null(handler.ActivityHeadersPropagator);
    }

    [Fact]
    public void ForAddress_NonHttpScheme_Throws()
    {
        Assert.Throws<ArgumentException>(() => GrpcChannel.ForAddress(new Uri("ftp://127.0.0.1:1")));
    }

    [Fact]
    public void Backoff_Ceiling_GrowsExponentiallyUpToMax()
    {
        var retry = new GrpcRetryOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(500), BackoffMultiplier = 2 };
        Assert.Equal([100, 200, 400, 500], Enumerable.Range(1, 4).Select(n => retry.Ceiling(n).TotalMilliseconds));
    }
}
