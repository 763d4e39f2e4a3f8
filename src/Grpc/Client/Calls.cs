using Google.Protobuf;
using SupplyOracle.Grpc.Client.Internal;

namespace SupplyOracle.Grpc.Client;

/// <summary>A server-streaming call in progress. Dispose it to cancel it if it has not ended.</summary>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class ServerStreamingCall<TResponse> : IDisposable
    where TResponse : class, IMessage<TResponse>
{
    private readonly IDisposable _call;
    private readonly Func<Task<Metadata>> _headers;
    private readonly Func<Metadata?> _trailers;

    internal ServerStreamingCall(IGrpcStreamReader<TResponse> responses, IDisposable call, Func<Task<Metadata>> headers, Func<Metadata?> trailers)
    {
        ResponseStream = responses;
        _call = call;
        _headers = headers;
        _trailers = trailers;
    }

    /// <summary>The response messages; the end of the stream means status OK, any other status throws.</summary>
    public IGrpcStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers' custom metadata.</summary>
    public Task<Metadata> ResponseHeadersAsync() => _headers();

    /// <summary>The trailing metadata, once the stream has ended.</summary>
    public Metadata? GetTrailers() => _trailers();

    /// <inheritdoc />
    public void Dispose() => _call.Dispose();
}

/// <summary>A client-streaming call in progress: write requests, complete, then await the response.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class ClientStreamingCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly ClientCall<TRequest, TResponse> _call;
    private readonly Lazy<Task<TResponse>> _response;

    internal ClientStreamingCall(ClientCall<TRequest, TResponse> call)
    {
        _call = call;
        _response = new Lazy<Task<TResponse>>(call.ResponseAsync);
    }

    /// <summary>The request stream.</summary>
    public IClientStreamWriter<TRequest> RequestStream => _call;

    /// <summary>The single response; throws <see cref="GrpcStatusException"/> for any status but OK.</summary>
    public Task<TResponse> ResponseAsync => _response.Value;

    /// <summary>The response headers' custom metadata.</summary>
    public Task<Metadata> ResponseHeadersAsync() => _call.ResponseHeadersAsync();

    /// <summary>The trailing metadata, once the call has ended.</summary>
    public Metadata? GetTrailers() => _call.Trailers;

    /// <inheritdoc />
    public void Dispose() => _call.Dispose();
}

/// <summary>A bidirectional-streaming call in progress: requests and responses flow independently.</summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class DuplexStreamingCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly ClientCall<TRequest, TResponse> _call;

    internal DuplexStreamingCall(ClientCall<TRequest, TResponse> call) => _call = call;

    /// <summary>The request stream.</summary>
    public IClientStreamWriter<TRequest> RequestStream => _call;

    /// <summary>The response messages; the end of the stream means status OK, any other status throws.</summary>
    public IGrpcStreamReader<TResponse> ResponseStream => _call;

    /// <summary>The response headers' custom metadata.</summary>
    public Task<Metadata> ResponseHeadersAsync() => _call.ResponseHeadersAsync();

    /// <summary>The trailing metadata, once the response stream has ended.</summary>
    public Metadata? GetTrailers() => _call.Trailers;

    /// <inheritdoc />
    public void Dispose() => _call.Dispose();
}
