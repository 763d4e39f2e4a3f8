using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using SupplyOracle.Grpc.Client;
using SupplyOracle.Grpc.Tests.TestServices;
using SupplyOracle.Grpc.Tests.V1;

namespace SupplyOracle.Grpc.Tests.Server;

/// <summary>
/// Malformed and hostile requests against a running server: each gets the status PROTOCOL-HTTP2.md and
/// doc/statuscodes.md call for, and the server keeps serving healthy calls (checked after every case).
/// </summary>
public sealed class BadInputTests : ServerTestBase
{
    private const string Unary = "/grpctest.v1.Echo/Unary";
    private const string ClientStream = "/grpctest.v1.Echo/ClientStream";
    private readonly RawHttp2 _raw = new();

    private static byte[] ValidRequest => RawHttp2.Frame(new EchoRequest { Text = "x" }.ToByteArray());

    private async Task AssertServerHealthy()
    {
        var response = await Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = "still up" });
        Assert.Equal("still up", response.Text);
    }

    [Fact]
    public async Task Unary_ValidRawRequest_Ok()
    {
        var r = await _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(ValidRequest));
        Assert.Equal("0", r.GrpcStatus);
        Assert.False(r.TrailersOnly);
        Assert.Equal("x", EchoResponse.Parser.ParseFrom(r.Body.AsSpan(5).ToArray()).Text);
    }

    [Fact]
    public async Task Unary_TruncatedFrame_InternalIncompleteMessage()
    {
        var truncated = ValidRequest[..^1];
        var r = await _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(truncated));
        Assert.Equal("13", r.GrpcStatus);
        Assert.Contains("Incomplete message", r.GrpcMessage, StringComparison.Ordinal);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_TruncatedFrameHeader_Internal()
    {
        var r = await _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc([0, 0, 0]));
        Assert.Equal("13", r.GrpcStatus);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_LengthPrefixBeyondLimit_ResourceExhaustedWithoutWaitingForThePayload()
    {
        // Only the 5-byte prefix is sent and the body stays open: the server must answer from the prefix alone.
        using var stalling = new StallingContent(RawHttp2.Frame([], length: 0x7FFF_FFFF));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var r = await _raw.SendAsync(Server.Http, Unary, stalling, cancellationToken: timeout.Token);
        stalling.Release();
        Assert.Equal("8", r.GrpcStatus);
        Assert.Contains("larger than max", r.GrpcMessage, StringComparison.Ordinal);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_GarbageProtobuf_Internal()
    {
        // Field 1 (string) declares 5 bytes but only 1 follows: not a valid EchoRequest.
        var r = await _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(RawHttp2.Frame([0x0A, 0x05, 0x01])));
        Assert.Equal("13", r.GrpcStatus);
        Assert.Contains("deserialize", r.GrpcMessage, StringComparison.Ordinal);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_TwoMessages_Internal()
    {
        var r = await _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc([.. ValidRequest, .. ValidRequest]));
        Assert.Equal("13", r.GrpcStatus);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_CompressedFlagWithoutEncoding_Internal()
    {
        var r = await _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(RawHttp2.Frame(new EchoRequest { Text = "x" }.ToByteArray(), flag: 1)));
        Assert.Equal("13", r.GrpcStatus);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_UnsupportedGrpcEncoding_UnimplementedWithAcceptEncoding()
    {
        var content = RawHttp2.Grpc(ValidRequest);
        content.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
        var r = await _raw.SendAsync(Server.Http, Unary, content);
        Assert.Equal("12", r.GrpcStatus);
        Assert.True(r.TrailersOnly);
        Assert.Equal("identity", r.Headers.GetValues("grpc-accept-encoding").Single());
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_NonGrpcContentType_Http415()
    {
        var r = await _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(ValidRequest, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.HttpStatus);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_MissingTeTrailers_InternalTrailersOnly()
    {
        var r = await _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(ValidRequest), te: false);
        Assert.Equal("13", r.GrpcStatus);
        Assert.True(r.TrailersOnly);
        Assert.Contains("te: trailers", r.GrpcMessage, StringComparison.Ordinal);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task UnknownMethod_TrailersOnlyUnimplemented()
    {
        var r = await _raw.SendAsync(Server.Http, "/grpctest.v1.Echo/Nope", RawHttp2.Grpc(ValidRequest));
        Assert.Equal(HttpStatusCode.OK, r.HttpStatus);
        Assert.Equal("12", r.GrpcStatus);
        Assert.True(r.TrailersOnly);
        Assert.Empty(r.Body);
    }

    [Fact]
    public async Task UnknownPath_NonGrpcContentType_Http404()
    {
        var r = await _raw.SendAsync(Server.Http, "/health", RawHttp2.Grpc(ValidRequest, "text/plain"));
        Assert.Equal(HttpStatusCode.NotFound, r.HttpStatus);
        Assert.Null(r.GrpcStatus);
    }

    [Fact]
    public async Task Http11OverTls_Http426WithInternal()
    {
        var r = await _raw.SendAsync(Server.Https, Unary, RawHttp2.Grpc(ValidRequest), version: HttpVersion.Version11);
        Assert.Equal(HttpStatusCode.UpgradeRequired, r.HttpStatus);
        Assert.Equal("13", r.Headers.GetValues("grpc-status").Single());
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Http11OnCleartextEndpoint_ConnectionDroppedServerStaysUp()
    {
        // The h2c endpoint speaks HTTP/2 only: an HTTP/1.1 request is not a valid connection preface and is dropped.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Server.Http.Host, Server.Http.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {Unary} HTTP/1.1\r\nHost: x\r\nContent-Type: application/grpc\r\nContent-Length: 0\r\n\r\n"));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token)) > 0)
        {
            total += read;
        }

        Assert.DoesNotContain("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, total), StringComparison.Ordinal);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task ClientStreaming_ClientStallsMidFrameWithDeadline_DeadlineExceededAndOtherCallsUnaffected()
    {
        var half = ValidRequest[..3];
        using var stalling = new StallingContent(half);
        stalling.Headers.TryAddWithoutValidation("grpc-timeout", "500m");
        var started = TimeProvider.System.GetTimestamp();
        var stalled = _raw.SendAsync(Server.Http, ClientStream, stalling);

        // While that call is stuck, healthy calls go through.
        var healthy = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = $"h{i}" })));
        Assert.Equal(20, healthy.Length);

        var r = await stalled.WaitAsync(TimeSpan.FromSeconds(10));
        stalling.Release();
        Assert.Equal("4", r.GrpcStatus);
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Duplex_ClientStallsWithoutDeadline_ClientCancelReleasesTheCall()
    {
        using var cts = new CancellationTokenSource();
        using var call = Channel.DuplexStreaming(EchoMethods.Bidi, new CallOptions(CancellationToken: cts.Token));
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "one" });
        Assert.True(await call.ResponseStream.MoveNextAsync());
        await cts.CancelAsync();
        var e = await Assert.ThrowsAsync<GrpcStatusException>(async () => await call.ResponseStream.MoveNextAsync());
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task BadInputs_InterleavedWithHealthyCalls_EachGetsItsStatusAndHealthyCallsSucceed()
    {
        var bad = Enumerable.Range(0, 10).SelectMany(_ => new[]
        {
            (Expected: "13", Call: _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(ValidRequest[..^2]))),
            (Expected: "8", Call: _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(RawHttp2.Frame(new byte[16], length: 5_000_000)))),
            (Expected: "13", Call: _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(RawHttp2.Frame([0x0A, 0x05, 0x01])))),
            (Expected: "13", Call: _raw.SendAsync(Server.Http, Unary, RawHttp2.Grpc(ValidRequest), te: false)),
        }).ToList();
        var healthy = Enumerable.Range(0, 50).Select(i => Channel.UnaryAsync(EchoMethods.Unary, new EchoRequest { Text = $"h{i}" })).ToList();

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"h{i}"), (await Task.WhenAll(healthy)).Select(r => r.Text));
        foreach (var (expected, call) in bad)
        {
            Assert.Equal(expected, (await call).GrpcStatus);
        }
    }

    [Fact]
    public async Task Get_Http405()
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.Http, Unary))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    public override async Task DisposeAsync()
    {
        _raw.Dispose();
        await base.DisposeAsync();
    }
}
