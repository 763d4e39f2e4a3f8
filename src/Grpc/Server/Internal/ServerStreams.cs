using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Server.Internal;

/// <summary>The request stream of a client-streaming or duplex call, read from the HTTP/2 request body pipe.</summary>
internal sealed class ServerRequestReader<T>(ServerCallContext context, MessageParser<T> parser, int maxSize) : IGrpcStreamReader<T>
    where T : class, IMessage<T>
{
    private readonly PipeReader _reader = context.HttpContext.Request.BodyReader;
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNextAsync first.");

    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        // Link only a token that is not already the call's own (ReadAllAsync(context.CancellationToken) is the common case).
        using var linked = cancellationToken.CanBeCanceled && cancellationToken != context.CancellationToken
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, context.CancellationToken)
            : null;
        _current = await MessageFraming.ReadAsync(_reader, parser, maxSize, linked?.Token ?? context.CancellationToken).ConfigureAwait(false);
        return _current is not null;
    }
}

/// <summary>The response stream of a server-streaming or duplex call: frames into the response pipe and flushes.</summary>
internal sealed class ServerResponseWriter<T>(ServerCallContext context) : IGrpcStreamWriter<T>
    where T : class, IMessage<T>
{
    private readonly HttpResponse _response = context.HttpContext.Response;
    private int _writing;

    public async ValueTask WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException("A write is already in progress on this response stream: writes must not overlap.");
        }

        try
        {
            var token = cancellationToken.CanBeCanceled ? cancellationToken : context.CancellationToken;
            context.CancellationToken.ThrowIfCancellationRequested();
            MessageFraming.Write(_response.BodyWriter, message);
            context.MessageWritten = true;
            await _response.BodyWriter.FlushAsync(token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }
}
