using System.Buffers;
using System.IO.Pipelines;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using SupplyOracle.Grpc.Internal;
using SupplyOracle.Grpc.Tests.V1;

namespace SupplyOracle.Grpc.Tests.Internal;

public sealed class MessageFramingTests
{
    private static byte[] Framed(params EchoRequest[] messages)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var m in messages)
        {
            MessageFraming.Write(buffer, m);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async Task<List<EchoRequest>> ReadAll(byte[] bytes, int chunk, int maxSize = 1 << 20)
    {
        // DATA frames split messages anywhere: feed the bytes in chunks of the given size.
        var pipe = new Pipe();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < bytes.Length; i += chunk)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
            }

            await pipe.Writer.CompleteAsync();
        });
        var messages = new List<EchoRequest>();
        while (await MessageFraming.ReadAsync(pipe.Reader, EchoRequest.Parser, maxSize, CancellationToken.None) is { } m)
        {
            messages.Add(m);
        }

        await writer;
        return messages;
    }

    [Fact]
    public void Write_Message_PrefixIsFlagZeroAndBigEndianLength()
    {
        var message = new EchoRequest { Text = new string('a', 300) };
        var framed = Framed(message);
        Assert.Equal(0, framed[0]);
        Assert.Equal(message.CalculateSize(), (framed[1] << 24) | (framed[2] << 16) | (framed[3] << 8) | framed[4]);
        Assert.Equal(message.ToByteArray(), framed[5..]);
    }

    [Fact]
    public void Write_IntoPipeMemory_AllocatesNothingPerMessage()
    {
        var message = new EchoRequest { Text = "steady state", Count = 42, Payload = ByteString.CopyFrom(new byte[100]) };
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        MessageFraming.Write(buffer, message); // warm up (JIT, size caches)
        buffer.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            MessageFraming.Write(buffer, message);
            buffer.ResetWrittenCount();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ReadAsync_AnySplitOfAnyMessages_RoundTrips()
    {
        Prop.ForAll<string[], byte>((texts, chunk) =>
        {
            var messages = (texts ?? []).Select(t => new EchoRequest { Text = t ?? "", Count = (t ?? "").Length }).ToArray();
            var read = ReadAll(Framed(messages), Math.Max(1, (int)chunk)).GetAwaiter().GetResult();
            return read.SequenceEqual(messages);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task ReadAsync_EmptyMessage_ReadsDefaultInstance()
    {
        var read = await ReadAll(Framed(new EchoRequest()), 1);
        Assert.Equal(new EchoRequest(), Assert.Single(read));
    }

    [Fact]
    public async Task ReadAsync_LengthAboveLimit_ResourceExhausted()
    {
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => ReadAll(Framed(new EchoRequest { Text = new string('x', 100) }), 7, maxSize: 50));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
    }

    [Fact]
    public async Task ReadAsync_LengthEqualToLimit_Accepted()
    {
        var message = new EchoRequest { Text = new string('x', 100) };
        var read = await ReadAll(Framed(message), 3, maxSize: message.CalculateSize());
        Assert.Equal(message, Assert.Single(read));
    }

    [Fact]
    public async Task ReadAsync_EndInsideFrame_InternalIncomplete()
    {
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => ReadAll(Framed(new EchoRequest { Text = "abc" })[..^1], 2));
        Assert.Equal(StatusCode.Internal, e.StatusCode);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(255)]
    public async Task ReadAsync_NonZeroFlag_Internal(byte flag)
    {
        var bytes = Framed(new EchoRequest { Text = "abc" });
        bytes[0] = flag;
        var e = await Assert.ThrowsAsync<GrpcStatusException>(() => ReadAll(bytes, 64));
        Assert.Equal(StatusCode.Internal, e.StatusCode);
    }
}
