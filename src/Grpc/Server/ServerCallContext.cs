using Microsoft.AspNetCore.Http;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Server;

/// <summary>What a handler knows about the call it serves: method, metadata, deadline, cancellation.</summary>
public sealed class ServerCallContext
{
    private Metadata? _requestHeaders;
    private Metadata? _responseTrailers;

    internal ServerCallContext(HttpContext httpContext, string method, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The method path, <c>/pkg.Service/Method</c>.</summary>
    public string Method { get; }

    /// <summary>The deadline from <c>grpc-timeout</c>, or null when the client set none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Cancelled when the client cancels, the connection drops, or the deadline passes.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The client's custom metadata (protocol headers excluded).</summary>
    public Metadata RequestHeaders => _requestHeaders ??= MetadataCodec.FromHeaders(HttpContext.Request.Headers);

    /// <summary>Metadata sent with the status at the end of the call.</summary>
    public Metadata ResponseTrailers => _responseTrailers ??= new Metadata();

    /// <summary>The remote endpoint, <c>ipv4:a.b.c.d:port</c> or <c>ipv6:[...]:port</c>.</summary>
    public string Peer => HttpContext.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        var ip when ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 => $"ipv6:[{ip}]:{HttpContext.Connection.RemotePort}",
        var ip => $"ipv4:{ip}:{HttpContext.Connection.RemotePort}",
    };

    /// <summary>The underlying HTTP context (client certificate, connection info).</summary>
    public HttpContext HttpContext { get; }

    internal bool HasResponseTrailers => _responseTrailers is { Count: > 0 };

    internal bool ResponseHeadersWritten { get; private set; }

    /// <summary>Set once a response message was written (it may still sit unflushed in the pipe).</summary>
    internal bool MessageWritten { get; set; }

    /// <summary>Sends response headers with custom metadata now, before the first message; at most once.</summary>
    public async ValueTask WriteResponseHeadersAsync(Metadata headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (ResponseHeadersWritten || HttpContext.Response.HasStarted)
        {
            throw new InvalidOperationException("Response headers were already sent for this call.");
        }

        foreach (var entry in headers)
        {
            HttpContext.Response.Headers.Append(entry.Key, entry.IsBinary ? MetadataCodec.EncodeBinary(entry.RawBytes) : entry.Value);
        }

        ResponseHeadersWritten = true;
        await HttpContext.Response.StartAsync(CancellationToken).ConfigureAwait(false);
        await HttpContext.Response.BodyWriter.FlushAsync(CancellationToken).ConfigureAwait(false);
    }
}
