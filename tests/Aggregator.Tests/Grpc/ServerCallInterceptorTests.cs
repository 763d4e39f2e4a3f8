using Grpc.Core;
using Microsoft.Extensions.Logging;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Protocol.Transport;

namespace SupplyOracle.Aggregator.Tests.Grpc;

/// <summary>
/// How the server boundary judges a transport exception (issue 24, issue 19 item 2): a reporter killed outright makes
/// Kestrel fail the request-stream read before it cancels the call, and that is a client going away, not a fault.
/// </summary>
public sealed class ServerCallInterceptorTests : IDisposable
{
    private readonly RecordingLoggerProvider _logs = new();
    private readonly ILoggerFactory _factory;

    public ServerCallInterceptorTests() => _factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Duplex_ReadFailsBeforeTheCallIsCancelled_ClientGoneAtDebugNotAnError()
    {
        var logs = _logs;
        using var aborted = new CancellationTokenSource();
        var interceptor = new ServerCallInterceptor(new GrpcExceptionMap(), _factory.CreateLogger<ServerCallInterceptor>());
        var context = new FakeCallContext(aborted.Token);

        var call = interceptor.DuplexStreamingServerHandler<string, string>(null!, new DiscardingWriter(), context, async (_, _, _) =>
        {
            // As Kestrel does on a reset connection: the read fails now, the call's token fires a little later.
            _ = Task.Run(async () =>
            {
                await Task.Delay(50);
                await aborted.CancelAsync();
            });
            await Task.Yield();
            throw new IOException("The request stream was aborted.");
        });

        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        Assert.DoesNotContain(logs.Entries, l => l.Level >= LogLevel.Warning);
        Assert.Contains(logs.Entries, l => l.Level == LogLevel.Debug && l.EventId == 3);
    }

    [Fact]
    public async Task Duplex_TransportExceptionWhileTheClientStaysConnected_UnknownAndLoggedAsAnError()
    {
        var logs = _logs;
        var interceptor = new ServerCallInterceptor(new GrpcExceptionMap(), _factory.CreateLogger<ServerCallInterceptor>());
        var context = new FakeCallContext(CancellationToken.None);

        var call = interceptor.DuplexStreamingServerHandler<string, string>(null!, new DiscardingWriter(), context, (_, _, _) =>
            throw new IOException("a handler's own I/O failed"));

        var e = await Assert.ThrowsAsync<RpcException>(() => call);
        Assert.Equal(StatusCode.Unknown, e.StatusCode);
        Assert.Contains(logs.Entries, l => l.Level == LogLevel.Error && l.Exception is IOException);
    }

    private sealed class DiscardingWriter : IServerStreamWriter<string>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(string message) => Task.CompletedTask;
    }

    private sealed class FakeCallContext(CancellationToken cancellationToken) : ServerCallContext
    {
        protected override string MethodCore => "/supplyoracle.v1.Gossip/Connect";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore { get; } = [];

        protected override CancellationToken CancellationTokenCore => cancellationToken;

        protected override Metadata ResponseTrailersCore { get; } = [];

        protected override Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
