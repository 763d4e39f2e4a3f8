using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Protocol.V1;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Grpc;

/// <summary>
/// Malformed and hostile requests against the aggregator's gRPC endpoint (the real Status service on PostgreSQL): each
/// gets the status grpc doc/PROTOCOL-HTTP2.md and doc/statuscodes.md call for, and the server keeps serving healthy
/// calls (checked after every case, and concurrently in the interleaved and stalled cases).
/// </summary>
public sealed class BadInputTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string Unary = "/supplyoracle.v1.Status/GetTokenState";
    private readonly RawHttp2 _raw = new();
    private GrpcTestHost _host = null!;
    private QueryLog _log = null!;

    // A well-formed request for a token the log never mentioned: NOT_FOUND (5), a complete round trip.
    private static byte[] ValidRequest => RawHttp2.Frame(new GetTokenStateRequest { Token = ByteString.CopyFrom(new byte[20]) }.ToByteArray());

    private Uri Server => _host.Grpc;

    public async Task InitializeAsync()
    {
        _log = await QueryLog.CreateAsync(await postgres.Server.CreateDatabaseAsync());
        _host = await GrpcTestHost.StartAsync(_log.DataSource, _log.Events);
    }

    public async Task DisposeAsync()
    {
        _raw.Dispose();
        await _host.DisposeAsync();
        await _log.DisposeAsync();
    }

    private async Task AssertServerHealthy()
    {
        var response = await new Protocol.V1.Status.StatusClient(_host.Channel).ListTokenStatesAsync(new ListTokenStatesRequest());
        Assert.Empty(response.Tokens);
    }

    [Fact]
    public async Task Unary_ValidRawRequest_NotFoundInTrailers()
    {
        var r = await _raw.SendAsync(Server, Unary, RawHttp2.Grpc(ValidRequest));
        Assert.Equal("5", r.GrpcStatus);
    }

    [Fact]
    public async Task Unary_GzipRequestAcceptingGzip_AnsweredWithAGzipMessage()
    {
        // grpc doc/compression.md: a compressed message has flag 1 and the call names its grpc-encoding; the server
        // offers gzip (Aggregator:Grpc:ResponseCompression) to a client that lists it in grpc-accept-encoding.
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(new ListTokenStatesRequest().ToByteArray());
        }

        var content = RawHttp2.Grpc(RawHttp2.Frame(compressed.ToArray(), flag: 1));
        content.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
        content.Headers.TryAddWithoutValidation("grpc-accept-encoding", "gzip");
        var r = await _raw.SendAsync(Server, "/supplyoracle.v1.Status/ListTokenStates", content);

        Assert.Equal("0", r.GrpcStatus);
        Assert.Equal("gzip", r.Headers.GetValues("grpc-encoding").Single());
        Assert.Equal(1, r.Body[0]);
        using var body = new System.IO.Compression.GZipStream(new MemoryStream(r.Body, 5, r.Body.Length - 5), System.IO.Compression.CompressionMode.Decompress);
        Assert.Empty(ListTokenStatesResponse.Parser.ParseFrom(body).Tokens);
    }

    [Fact]
    public async Task Unary_TruncatedFrame_InternalIncompleteMessage()
    {
        var r = await _raw.SendAsync(Server, Unary, RawHttp2.Grpc(ValidRequest[..^1]));
        Assert.Equal("13", r.GrpcStatus);
        Assert.Contains("Incomplete message", r.GrpcMessage, StringComparison.Ordinal);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_TruncatedFrameHeader_Internal()
    {
        var r = await _raw.SendAsync(Server, Unary, RawHttp2.Grpc([0, 0, 0]));
        Assert.Equal("13", r.GrpcStatus);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_LengthPrefixBeyondLimit_ResourceExhaustedWithoutWaitingForThePayload()
    {
        // Only the 5-byte prefix is sent and the body stays open: the server must answer from the prefix alone.
        using var stalling = new StallingContent(RawHttp2.Frame([], length: 0x7FFF_FFFF));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var r = await _raw.SendAsync(Server, Unary, stalling, cancellationToken: timeout.Token);
        stalling.Release();
        Assert.Equal("8", r.GrpcStatus);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_GarbageProtobuf_UnknownAndNoStackTraceForTheClient()
    {
        // Field 1 (bytes) declares 5 bytes but only 1 follows: not a valid GetTokenStateRequest. grpc-dotnet parses a
        // unary request before any interceptor runs and answers a parse failure UNKNOWN (doc/statuscodes.md suggests
        // INTERNAL; streamed messages, parsed inside the handler, get INTERNAL from ServerCallInterceptor).
        var r = await _raw.SendAsync(Server, Unary, RawHttp2.Grpc(RawHttp2.Frame([0x0A, 0x05, 0x01])));
        Assert.Equal("2", r.GrpcStatus);
        Assert.DoesNotContain(" at ", r.GrpcMessage ?? "", StringComparison.Ordinal);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_TwoMessages_Internal()
    {
        var r = await _raw.SendAsync(Server, Unary, RawHttp2.Grpc([.. ValidRequest, .. ValidRequest]));
        Assert.Equal("13", r.GrpcStatus);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_CompressedFlagWithoutEncoding_Internal()
    {
        var r = await _raw.SendAsync(Server, Unary, RawHttp2.Grpc(RawHttp2.Frame(new GetTokenStateRequest().ToByteArray(), flag: 1)));
        Assert.Equal("13", r.GrpcStatus);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_UnsupportedGrpcEncoding_UnimplementedListingGzip()
    {
        var content = RawHttp2.Grpc(RawHttp2.Frame(new GetTokenStateRequest().ToByteArray(), flag: 1));
        content.Headers.TryAddWithoutValidation("grpc-encoding", "snappy");
        var r = await _raw.SendAsync(Server, Unary, content);
        Assert.Equal("12", r.GrpcStatus);
        Assert.Contains("gzip", string.Join(",", r.Headers.GetValues("grpc-accept-encoding")), StringComparison.Ordinal);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_NonGrpcContentType_Http415()
    {
        var r = await _raw.SendAsync(Server, Unary, RawHttp2.Grpc(ValidRequest, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.HttpStatus);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task UnknownMethod_TrailersOnlyUnimplemented()
    {
        var r = await _raw.SendAsync(Server, "/supplyoracle.v1.Status/Nope", RawHttp2.Grpc(ValidRequest));
        Assert.Equal(HttpStatusCode.OK, r.HttpStatus);
        Assert.Equal("12", r.GrpcStatus);
        Assert.True(r.TrailersOnly);
        Assert.Empty(r.Body);
    }

    [Fact]
    public async Task Http11OnCleartextEndpoint_ConnectionDroppedServerStaysUp()
    {
        // The h2c endpoint speaks HTTP/2 only: an HTTP/1.1 request is not a valid connection preface and is dropped.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Server.Host, Server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {Unary} HTTP/1.1\r\nHost: x\r\nContent-Type: application/grpc\r\nContent-Length: 0\r\n\r\n"));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token)) > 0)
        {
            total += read;
        }

        Assert.DoesNotContain("HTTP/1.1 200", Encoding.ASCII.GetString(buffer, 0, total), StringComparison.Ordinal);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task Unary_ClientStallsMidFrameWithDeadline_DeadlineExceededAndOtherCallsUnaffected()
    {
        using var stalling = new StallingContent(ValidRequest[..3]);
        stalling.Headers.TryAddWithoutValidation("grpc-timeout", "500m");
        var started = TimeProvider.System.GetTimestamp();
        var stalled = _raw.SendAsync(Server, Unary, stalling);

        // While that call is stuck, healthy calls go through.
        var client = new Protocol.V1.Status.StatusClient(_host.Channel);
        var healthy = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.ListTokenStatesAsync(new ListTokenStatesRequest()).ResponseAsync));
        Assert.Equal(20, healthy.Length);

        // At the deadline the server ends the call: DEADLINE_EXCEEDED, then RST_STREAM(CANCEL) for the unread request
        // body (REFERENCES.md "Deadlines"); HttpClient, still sending that body, may surface only the reset.
        try
        {
            var r = await stalled.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("4", r.GrpcStatus);
        }
        catch (HttpRequestException e) when (e.InnerException is HttpProtocolException { ErrorCode: 0x8 })
        {
            // reset with CANCEL
        }

        stalling.Release();
        Assert.InRange(TimeProvider.System.GetElapsedTime(started), TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        await AssertServerHealthy();
    }

    [Fact]
    public async Task ServerStreaming_ClientStallsWithoutDeadline_ClientCancelReleasesTheCall()
    {
        using var cts = new CancellationTokenSource();
        using var call = new Protocol.V1.Status.StatusClient(_host.Channel).Watch(new WatchRequest(), cancellationToken: cts.Token);
        await call.ResponseHeadersAsync;
        await cts.CancelAsync();
        var e = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        await AssertServerHealthy();
    }

    [Fact]
    public async Task BadInputs_InterleavedWithHealthyCalls_EachGetsItsStatusAndHealthyCallsSucceed()
    {
        var bad = Enumerable.Range(0, 10).SelectMany(_ => new[]
        {
            (Expected: "13", Call: _raw.SendAsync(Server, Unary, RawHttp2.Grpc(ValidRequest[..^2]))),
            (Expected: "8", Call: _raw.SendAsync(Server, Unary, RawHttp2.Grpc(RawHttp2.Frame(new byte[16], length: 5_000_000)))),
            (Expected: "2", Call: _raw.SendAsync(Server, Unary, RawHttp2.Grpc(RawHttp2.Frame([0x0A, 0x05, 0x01])))),
        }).ToList();
        var client = new Protocol.V1.Status.StatusClient(_host.Channel);
        var healthy = Enumerable.Range(0, 50).Select(_ => client.ListTokenStatesAsync(new ListTokenStatesRequest()).ResponseAsync).ToList();

        Assert.Equal(50, (await Task.WhenAll(healthy)).Length);
        foreach (var (expected, call) in bad)
        {
            Assert.Equal(expected, (await call).GrpcStatus);
        }
    }
}
