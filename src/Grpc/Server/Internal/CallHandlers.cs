using Google.Protobuf;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Server.Internal;

/// <summary>A handler of a unary method: one request, one response.</summary>
internal delegate Task<TResponse> UnaryMethod<TRequest, TResponse>(TRequest request, ServerCallContext context);

/// <summary>A handler of a server-streaming method.</summary>
internal delegate Task ServerStreamingMethod<TRequest, TResponse>(TRequest request, IGrpcStreamWriter<TResponse> responses, ServerCallContext context);

/// <summary>A handler of a client-streaming method.</summary>
internal delegate Task<TResponse> ClientStreamingMethod<TRequest, TResponse>(IGrpcStreamReader<TRequest> requests, ServerCallContext context);

/// <summary>A handler of a bidirectional-streaming method.</summary>
internal delegate Task DuplexStreamingMethod<TRequest, TResponse>(IGrpcStreamReader<TRequest> requests, IGrpcStreamWriter<TResponse> responses, ServerCallContext context);

/// <summary>Reads exactly one request message (unary and server-streaming calls).</summary>
internal static class SingleRequest
{
    public static async Task<T> ReadAsync<T>(ServerCallContext context, MessageParser<T> parser, int maxSize)
        where T : class, IMessage<T>
    {
        var reader = context.HttpContext.Request.BodyReader;
        var message = await MessageFraming.ReadAsync(reader, parser, maxSize, context.CancellationToken).ConfigureAwait(false)
            ?? throw new GrpcStatusException(StatusCode.Internal, "Request stream ended without a message: this method takes exactly one.");
        if (await MessageFraming.ReadAsync(reader, parser, maxSize, context.CancellationToken).ConfigureAwait(false) is not null)
        {
            throw new GrpcStatusException(StatusCode.Internal, "Request stream has more than one message: this method takes exactly one.");
        }

        return message;
    }
}

internal sealed class UnaryCallHandler<TRequest, TResponse>(string method, ServerRuntime runtime, MessageParser<TRequest> parser, UnaryMethod<TRequest, TResponse> handler)
    : ServerCallHandler(method, runtime)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override bool StreamsRequests => false;

    protected override bool IsStreaming => false;

    protected override async Task HandleCallAsync(ServerCallContext context)
    {
        var request = await SingleRequest.ReadAsync(context, parser, Runtime.MaxReceiveMessageSize).ConfigureAwait(false);
        var response = await handler(request, context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Handler of {Method} returned null.");

        // No flush: Kestrel sends the message and the trailers together when the call completes.
        MessageFraming.Write(context.HttpContext.Response.BodyWriter, response);
        context.MessageWritten = true;
    }
}

internal sealed class ServerStreamingCallHandler<TRequest, TResponse>(string method, ServerRuntime runtime, MessageParser<TRequest> parser, ServerStreamingMethod<TRequest, TResponse> handler)
    : ServerCallHandler(method, runtime)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override bool StreamsRequests => false;

    protected override bool IsStreaming => true;

    protected override async Task HandleCallAsync(ServerCallContext context)
    {
        var request = await SingleRequest.ReadAsync(context, parser, Runtime.MaxReceiveMessageSize).ConfigureAwait(false);
        await handler(request, new ServerResponseWriter<TResponse>(context), context).ConfigureAwait(false);
    }
}

internal sealed class ClientStreamingCallHandler<TRequest, TResponse>(string method, ServerRuntime runtime, MessageParser<TRequest> parser, ClientStreamingMethod<TRequest, TResponse> handler)
    : ServerCallHandler(method, runtime)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override bool StreamsRequests => true;

    protected override bool IsStreaming => true;

    protected override async Task HandleCallAsync(ServerCallContext context)
    {
        var reader = new ServerRequestReader<TRequest>(context, parser, Runtime.MaxReceiveMessageSize);
        var response = await handler(reader, context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Handler of {Method} returned null.");
        MessageFraming.Write(context.HttpContext.Response.BodyWriter, response);
        context.MessageWritten = true;
    }
}

internal sealed class DuplexStreamingCallHandler<TRequest, TResponse>(string method, ServerRuntime runtime, MessageParser<TRequest> parser, DuplexStreamingMethod<TRequest, TResponse> handler)
    : ServerCallHandler(method, runtime)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    protected override bool StreamsRequests => true;

    protected override bool IsStreaming => true;

    protected override Task HandleCallAsync(ServerCallContext context) =>
        handler(new ServerRequestReader<TRequest>(context, parser, Runtime.MaxReceiveMessageSize), new ServerResponseWriter<TResponse>(context), context);
}
