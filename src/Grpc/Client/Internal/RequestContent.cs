using System.Buffers;
using System.Net;
using Google.Protobuf;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Client.Internal;

/// <summary>The body of a unary or server-streaming request: one framed message, with a known length.</summary>
internal sealed class SingleMessageContent : HttpContent
{
    private readonly IMessage _message;
    private readonly int _size;

    public SingleMessageContent(IMessage message)
    {
        _message = message;
        _size = message.CalculateSize();
        Headers.TryAddWithoutValidation("content-type", GrpcProtocol.ContentType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var length = GrpcProtocol.FrameHeaderSize + _size;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var writer = new SpanWriter(buffer);
            MessageFraming.Write(writer, _message);
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = GrpcProtocol.FrameHeaderSize + _size;
        return true;
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over one rented array that is known to be large enough.</summary>
    private sealed class SpanWriter(byte[] buffer) : IBufferWriter<byte>
    {
        private int _position;

        public void Advance(int count) => _position += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(_position);

        public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(_position);
    }
}

/// <summary>
/// The body of a client-streaming or duplex request: HttpClient hands over the request stream once the HEADERS frame
/// is out, the call writes framed messages into it as the application produces them, and completion ends the body
/// (END_STREAM). One reusable buffer per call: no per-message allocation.
/// </summary>
internal sealed class StreamingContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public StreamingContent() => Headers.TryAddWithoutValidation("content-type", GrpcProtocol.ContentType);

    public async ValueTask WriteAsync(IMessage message, CancellationToken cancellationToken)
    {
        var stream = await _stream.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        _buffer.ResetWrittenCount();
        MessageFraming.Write(_buffer, message);
        await stream.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Complete() => _complete.TrySetResult();

    public void Fail(Exception exception)
    {
        _stream.TrySetException(exception);
        _complete.TrySetException(exception);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        _stream.TrySetResult(stream);
        return _complete.Task;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
