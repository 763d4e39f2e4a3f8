using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;

namespace SupplyOracle.Grpc.Internal;

/// <summary>
/// Length-Prefixed-Message framing (PROTOCOL-HTTP2.md "Requests"/"Responses": Compressed-Flag, Message-Length as a
/// 4-byte big-endian unsigned integer, Message). DATA frame boundaries are unrelated to message boundaries, so reads
/// work on the pipe's buffered sequence. Writes serialize straight into the pipe's memory: no per-message buffers.
/// </summary>
internal static class MessageFraming
{
    /// <summary>Writes one framed message into <paramref name="writer"/> (uncompressed: this transport sends identity only).</summary>
    public static void Write(IBufferWriter<byte> writer, IMessage message)
    {
        var size = message.CalculateSize();
        var span = writer.GetSpan(GrpcProtocol.FrameHeaderSize + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(GrpcProtocol.FrameHeaderSize, size));
        writer.Advance(GrpcProtocol.FrameHeaderSize + size);
    }

    /// <summary>
    /// Reads the next message, or returns null at a clean end of stream. A length beyond <paramref name="maxSize"/> fails
    /// with RESOURCE_EXHAUSTED as soon as the 5-byte prefix has arrived (the payload is never buffered); a stream that
    /// ends inside a frame, a compressed flag, or bytes that are not the expected protobuf fail with INTERNAL
    /// (grpc/grpc <c>doc/statuscodes.md</c>: library-generated codes).
    /// </summary>
    public static async ValueTask<T?> ReadAsync<T>(PipeReader reader, MessageParser<T> parser, int maxSize, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            ReadOnlySequence<byte> payload;
            SequencePosition consumed;
            bool complete;
            try
            {
                complete = TryReadFrame(buffer, maxSize, out payload, out consumed);
            }
            catch (GrpcStatusException)
            {
                // Leave the pipe consistent (nothing consumed) for whoever completes it.
                reader.AdvanceTo(buffer.Start);
                throw;
            }

            if (complete)
            {
                try
                {
                    return parser.ParseFrom(payload);
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new GrpcStatusException(StatusCode.Internal, $"Failed to deserialize {typeof(T).Name}: the message is not valid protobuf.", innerException: e);
                }
                finally
                {
                    reader.AdvanceTo(consumed);
                }
            }

            if (result.IsCanceled)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw new OperationCanceledException(cancellationToken);
            }

            if (result.IsCompleted)
            {
                var leftover = buffer.Length;
                reader.AdvanceTo(buffer.End);
                return leftover == 0
                    ? null
                    : throw new GrpcStatusException(StatusCode.Internal,
                        $"Incomplete message: the stream ended {leftover} byte(s) into a length-prefixed frame.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryReadFrame(ReadOnlySequence<byte> buffer, int maxSize, out ReadOnlySequence<byte> payload, out SequencePosition consumed)
    {
        payload = default;
        consumed = buffer.Start;
        if (buffer.Length < GrpcProtocol.FrameHeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.FrameHeaderSize];
        buffer.Slice(0, GrpcProtocol.FrameHeaderSize).CopyTo(header);
        var flag = header[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (flag == 1)
        {
            // PROTOCOL-HTTP2.md: a set Compressed-Flag requires a non-identity grpc-encoding, which this transport refuses.
            throw new GrpcStatusException(StatusCode.Internal, "Compressed-Flag is set but the message encoding is identity.");
        }

        if (flag != 0)
        {
            throw new GrpcStatusException(StatusCode.Internal, $"Invalid Compressed-Flag {flag}: only 0 and 1 are defined.");
        }

        if (length > (uint)maxSize)
        {
            throw new GrpcStatusException(StatusCode.ResourceExhausted,
                $"Received message larger than max ({length} vs. {maxSize})");
        }

        if (buffer.Length - GrpcProtocol.FrameHeaderSize < length)
        {
            return false;
        }

        payload = buffer.Slice(GrpcProtocol.FrameHeaderSize, length);
        consumed = payload.End;
        return true;
    }
}
