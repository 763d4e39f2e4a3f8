using System.Collections.Concurrent;
using System.Net.Security;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Grpc.Client.Internal;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Client;

/// <summary>
/// A gRPC client over HttpClient's HTTP/2 (h2c with prior knowledge for <c>http://</c>, ALPN over TLS for
/// <c>https://</c>). Thread-safe and meant to live as long as the application: it owns the connection pool.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private readonly Uri _address;
    private readonly ConcurrentDictionary<string, Uri> _uris = new(StringComparer.Ordinal);

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        _address = address;
        Options = options;
        Logger = options.LoggerFactory?.CreateLogger(GrpcDiagnostics.Name) ?? NullLogger.Instance;
        Handler = options.HttpHandler ?? CreateHandler(options);
        Invoker = new HttpMessageInvoker(Handler, disposeHandler: true);
    }

    /// <summary>The server address, <c>http://host:port</c> or <c>https://host:port</c>.</summary>
    public Uri Address => _address;

    internal GrpcChannelOptions Options { get; }

    internal ILogger Logger { get; }

    internal HttpMessageInvoker Invoker { get; }

    internal HttpMessageHandler Handler { get; }

    /// <summary>Creates a channel; throws <see cref="ArgumentException"/> for a bad address or option.</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"gRPC address '{address}' must be an absolute http:// or https:// URI", nameof(address));
        }

        options ??= new GrpcChannelOptions();
        options.Validate();
        return new GrpcChannel(address, options);
    }

    /// <summary>Makes a unary call.</summary>
    public Task<TResponse> UnaryAsync<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        method.RequireShape(false, false);
        return new ClientCall<TRequest, TResponse>(this, method, options).UnaryAsync(request);
    }

    /// <summary>Starts a server-streaming call.</summary>
    public ServerStreamingCall<TResponse> ServerStreaming<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        method.RequireShape(false, true);
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartServerStreaming(request);
        return new ServerStreamingCall<TResponse>(call, call, call.ResponseHeadersAsync, () => call.Trailers);
    }

    /// <summary>Starts a client-streaming call.</summary>
    public ClientStreamingCall<TRequest, TResponse> ClientStreaming<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        method.RequireShape(true, false);
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartClientStreaming();
        return new ClientStreamingCall<TRequest, TResponse>(call);
    }

    /// <summary>Starts a bidirectional-streaming call.</summary>
    public DuplexStreamingCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        method.RequireShape(true, true);
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartClientStreaming();
        return new DuplexStreamingCall<TRequest, TResponse>(call);
    }

    /// <inheritdoc />
    public void Dispose() => Invoker.Dispose();

    internal Uri UriFor(string path) => _uris.GetOrAdd(path, static (p, a) => new Uri(a, p), _address);

    private static SocketsHttpHandler CreateHandler(GrpcChannelOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // REFERENCES.md ".NET plumbing": several HTTP/2 connections once one is at its stream limit.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            // grpc doc/keepalive.md: pings no more often than every 5 minutes, only while calls are active.
            KeepAlivePingDelay = options.KeepAlivePingDelay ?? Timeout.InfiniteTimeSpan,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            // The transport propagates traceparent itself, from the call's own span.
            ActivityHeadersPropagator = null,
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        handler.SslOptions.ApplicationProtocols = [SslApplicationProtocol.Http2];
        if (options.ClientCertificate is { } certificate)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        if (options.ServerCertificateValidation is { } validate)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = validate;
        }

        return handler;
    }
}
