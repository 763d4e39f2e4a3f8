using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace SupplyOracle.Protocol.Transport;

/// <summary>
/// The server side's one boundary between handlers and the wire (every service of both executables runs behind it):
/// an exception leaving a handler becomes a gRPC status here and nowhere else, and every call's duration is recorded
/// as <c>rpc.server.call.duration</c> (<see cref="GrpcCallMetrics"/>).
/// <list type="bullet">
/// <item><see cref="RpcException"/>: a handler's deliberate status (INVALID_ARGUMENT, NOT_FOUND ...), passed through.</item>
/// <item>Anything thrown after the call was cancelled (the client went away, reset the stream or its deadline passed):
/// a normal end of a call, CANCELLED (or DEADLINE_EXCEEDED), logged at Debug without a trace.</item>
/// <item>Types registered in the <see cref="GrpcExceptionMap"/>: their status, logged as a warning (message only).</item>
/// <item>Anything else: UNKNOWN with a generic message (grpc doc/statuscodes.md), logged as an error with its trace.</item>
/// </list>
/// Register with <c>AddGrpc(o =&gt; o.Interceptors.Add&lt;ServerCallInterceptor&gt;())</c>; the map comes from DI.
/// </summary>
public sealed partial class ServerCallInterceptor(GrpcExceptionMap map, ILogger<ServerCallInterceptor> logger) : Interceptor
{
    /// <summary>Streamed response messages smaller than this many bytes are never compressed.</summary>
    public const int CompressionThreshold = 1024;

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, () => continuation(request, context));

    /// <inheritdoc />
    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, () => continuation(requestStream, context));

    /// <inheritdoc />
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, async () =>
        {
            await continuation(request, new SmallMessagesUncompressed<TResponse>(responseStream), context).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        RunAsync(context, async () =>
        {
            await continuation(requestStream, new SmallMessagesUncompressed<TResponse>(responseStream), context).ConfigureAwait(false);
            return true;
        });

    private async Task<T> RunAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.OK;
        try
        {
            var result = await call().ConfigureAwait(false);
            code = context.Status.StatusCode;
            return result;
        }
        catch (Exception e)
        {
            if (e is IOException or OperationCanceledException && !context.CancellationToken.IsCancellationRequested)
            {
                await AbortSettledAsync(context.CancellationToken).ConfigureAwait(false);
            }

            var status = ToStatus(e, context);
            code = status.StatusCode;
            if (e is RpcException rpc && rpc.StatusCode == status.StatusCode)
            {
                throw;
            }

            throw new RpcException(status);
        }
        finally
        {
            GrpcCallMetrics.RecordServer(context.Method, code, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// When the client's connection fails (a reporter killed outright, a reset TCP connection), Kestrel fails the
    /// request-stream read at once (<c>IOException: The request stream was aborted</c>, over
    /// <c>ConnectionAbortedException</c>) but signals the call's cancellation token a moment later, from another thread.
    /// A transport exception is therefore given up to <see cref="AbortGrace"/> for the token to catch up, so that a client
    /// going away is judged as one (Debug, CANCELLED) and not as a handler fault (Error with a trace, UNKNOWN).
    /// </summary>
    private static async Task AbortSettledAsync(CancellationToken callAborted)
    {
        try
        {
            await Task.Delay(AbortGrace, callAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the token fired: the client is gone
        }
    }

    /// <summary>How long a transport exception waits for the call's cancellation token (<see cref="AbortSettledAsync"/>).</summary>
    internal static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(1);

    private Status ToStatus(Exception exception, ServerCallContext context)
    {
        var method = GrpcCallMetrics.MethodName(context.Method);
        if (context.CancellationToken.IsCancellationRequested)
        {
            // The client cancelled, reset the stream, disconnected, or its deadline passed: whatever the handler was
            // reading or writing then failed. That is how calls end when a reporter restarts, not a server fault.
            var deadlinePassed = context.Deadline != DateTime.MaxValue && context.Deadline <= DateTime.SpecifyKind(TimeProvider.System.GetUtcNow().UtcDateTime, DateTimeKind.Utc);
            Log.ClientGone(logger, method, context.Peer, exception.GetType().Name, exception.Message);
            return new Status(deadlinePassed ? StatusCode.DeadlineExceeded : StatusCode.Cancelled,
                deadlinePassed ? "deadline exceeded" : "the call was cancelled");
        }

        if (exception is RpcException rpc)
        {
            return rpc.Status;
        }

        if (exception is Google.Protobuf.InvalidProtocolBufferException)
        {
            // grpc doc/statuscodes.md: a request that cannot be parsed is INTERNAL (streamed messages are parsed here,
            // inside the handler; grpc-dotnet parses unary requests before any interceptor).
            Log.Mapped(logger, method, nameof(StatusCode.Internal), exception.GetType().Name, exception.Message);
            return new Status(StatusCode.Internal, "a request message is not valid protobuf");
        }

        if (map.TryMap(exception, out var mapped))
        {
            Log.Mapped(logger, method, mapped.StatusCode.ToString(), exception.GetType().Name, exception.Message);
            return mapped;
        }

        Log.Unhandled(logger, method, exception);
        return new Status(StatusCode.Unknown, "the server failed to handle the call");
    }

    /// <summary>
    /// Streamed responses below <see cref="CompressionThreshold"/> bytes go out uncompressed even when the client
    /// accepts gzip: gzip adds 18+ bytes of framing to a message that small and cannot shrink it, and costs CPU per
    /// message (streams such as Status/Watch and Gossip/Connect carry many small messages). Larger ones, and unary
    /// responses, follow the server's response compression.
    /// </summary>
    private sealed class SmallMessagesUncompressed<T>(IServerStreamWriter<T> inner) : IServerStreamWriter<T>
    {
        private static readonly WriteOptions s_noCompress = new(WriteFlags.NoCompress);
        private static readonly WriteOptions s_noCompressBuffered = new(WriteFlags.NoCompress | WriteFlags.BufferHint);
        private WriteOptions? _options = inner.WriteOptions;

        public WriteOptions? WriteOptions
        {
            get => _options;
            set => _options = inner.WriteOptions = value;
        }

        public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

        public Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            // The handler's own flags (BufferHint: more messages follow at once) are kept.
            inner.WriteOptions = message is Google.Protobuf.IMessage m && m.CalculateSize() < CompressionThreshold
                ? ((_options?.Flags ?? default) & WriteFlags.BufferHint) != 0 ? s_noCompressBuffered : s_noCompress
                : _options;
            return inner.WriteAsync(message, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "gRPC handler for {Method} threw; the client sees UNKNOWN")]
        public static partial void Unhandled(ILogger logger, string method, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "gRPC call {Method} ended with {Code}: {ExceptionType}: {Detail}")]
        public static partial void Mapped(ILogger logger, string method, string code, string exceptionType, string detail);

        [LoggerMessage(3, LogLevel.Debug, "gRPC call {Method} from {Peer} ended by the client ({ExceptionType}: {Detail})")]
        public static partial void ClientGone(ILogger logger, string method, string peer, string exceptionType, string detail);
    }
}
