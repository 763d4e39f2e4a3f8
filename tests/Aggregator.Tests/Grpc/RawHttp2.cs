using System.Net;
using System.Net.Http.Headers;

namespace SupplyOracle.Aggregator.Tests.Grpc;

/// <summary>Hand-made HTTP/2 requests for bad-input tests: arbitrary bodies, headers and protocol versions.</summary>
public sealed class RawHttp2 : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    });

    public record Result(HttpStatusCode HttpStatus, string? GrpcStatus, string? GrpcMessage, bool TrailersOnly, byte[] Body, HttpResponseHeaders Headers);

    public async Task<Result> SendAsync(Uri server, string path, HttpContent content, bool te = true, Version? version = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = version ?? HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        if (te)
        {
            request.Headers.TryAddWithoutValidation("te", "trailers");
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var trailersOnly = response.Headers.Contains("grpc-status");
        var source = trailersOnly ? (HttpHeaders)response.Headers : response.TrailingHeaders;
        return new Result(response.StatusCode, Get(source, "grpc-status"), Get(source, "grpc-message"), trailersOnly, body, response.Headers);
    }

    public static ByteArrayContent Grpc(byte[] body, string contentType = "application/grpc")
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("content-type", contentType);
        return content;
    }

    /// <summary>A length-prefixed frame: flag, 4-byte big-endian length, payload.</summary>
    public static byte[] Frame(byte[] payload, byte flag = 0, uint? length = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), length ?? (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    public void Dispose() => _client.Dispose();

    private static string? Get(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>A request body that sends some bytes and then stalls until released (a slow or stuck client).</summary>
public sealed class StallingContent : HttpContent
{
    private readonly byte[] _prefix;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StallingContent(byte[] prefix)
    {
        _prefix = prefix;
        Headers.TryAddWithoutValidation("content-type", "application/grpc");
    }

    public void Release() => _release.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(_prefix);
        await stream.FlushAsync();
        await _release.Task;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
