using Google.Protobuf;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Grpc.Tests.V1;

namespace SupplyOracle.Grpc.Tests.TestServices;

/// <summary>
/// The C# implementation of grpctest.v1.Echo (Protos/grpctest/v1/echo.proto); Interop/grpcjs-server.js implements the
/// same behaviour so every test can run against either server. Response header x-echo and trailer x-echo-bin mirror
/// the request's metadata.
/// </summary>
public sealed class EchoService
{
    private int _unavailableBudget;

    /// <summary>The next <paramref name="count"/> Unary calls with text "flaky" fail with UNAVAILABLE.</summary>
    public void FailNextWithUnavailable(int count) => Volatile.Write(ref _unavailableBudget, count);

    public int UnaryCalls;

    public async Task<EchoResponse> Unary(EchoRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref UnaryCalls);
        if (request.Text == "flaky" && Interlocked.Decrement(ref _unavailableBudget) >= 0)
        {
            throw new GrpcStatusException(StatusCode.Unavailable, "try again");
        }

        if (request.Text == "throw")
        {
            throw new InvalidOperationException("secret internal detail");
        }

        await Prepare(request, context);
        return Response(request, context, 0);
    }

    public async Task ServerStream(EchoRequest request, IGrpcStreamWriter<EchoResponse> responses, ServerCallContext context)
    {
        await Prepare(request, context);
        if (context.RequestHeaders.GetValue("x-echo") is { } echo)
        {
            // Response headers with custom metadata, sent before the first message.
            await context.WriteResponseHeadersAsync(new Metadata().Add("x-echo-header", echo));
        }

        for (var i = 0; i < request.Count; i++)
        {
            await responses.WriteAsync(Response(request, context, i));
        }
    }

    public async Task<EchoResponse> ClientStream(IGrpcStreamReader<EchoRequest> requests, ServerCallContext context)
    {
        var texts = new List<string>();
        long bytes = 0;
        await foreach (var request in requests.ReadAllAsync(context.CancellationToken))
        {
            await Prepare(request, context);
            texts.Add(request.Text);
            bytes += request.Payload.Length;
        }

        return new EchoResponse { Text = string.Join(",", texts), Index = texts.Count, Payload = ByteString.CopyFrom(BitConverter.GetBytes(bytes)) };
    }

    public async Task Bidi(IGrpcStreamReader<EchoRequest> requests, IGrpcStreamWriter<EchoResponse> responses, ServerCallContext context)
    {
        var i = 0;
        await foreach (var request in requests.ReadAllAsync(context.CancellationToken))
        {
            await Prepare(request, context);
            await responses.WriteAsync(Response(request, context, i++));
        }
    }

    private static async Task Prepare(EchoRequest request, ServerCallContext context)
    {
        if (request.DelayMs > 0)
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
        }

        if (context.RequestHeaders.GetBytes("x-echo-bin") is { } echoed)
        {
            context.ResponseTrailers.Add("x-echo-bin", echoed);
        }

        if (request.FailCode != 0)
        {
            throw new GrpcStatusException((StatusCode)request.FailCode, request.FailMessage,
                new Metadata().Add("x-fail-reason", "requested"));
        }
    }

    private static EchoResponse Response(EchoRequest request, ServerCallContext context, int index) => new()
    {
        Text = request.Text,
        Index = index,
        Payload = request.ResponseSize > 0 ? ByteString.CopyFrom(Pattern(request.ResponseSize)) : request.Payload,
        EchoHeader = context.RequestHeaders.GetValue("x-echo") ?? "",
        EchoBinary = ByteString.CopyFrom(context.RequestHeaders.GetBytes("x-echo-bin") ?? []),
        HasDeadline = context.Deadline is not null,
    };

    /// <summary>The payload pattern both servers use: byte i is i % 251.</summary>
    public static byte[] Pattern(int size)
    {
        var bytes = new byte[size];
        for (var i = 0; i < size; i++)
        {
            bytes[i] = (byte)(i % 251);
        }

        return bytes;
    }
}
