using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace SupplyOracle.Protocol.Transport;

/// <summary>
/// Records <c>rpc.client.call.duration</c> (<see cref="GrpcCallMetrics"/>) for every call made through a channel from
/// <see cref="GrpcChannels"/>: from the start of the call to its status (for streams: the end of the response stream, an
/// error, or disposal before the end, which counts as CANCELLED).
/// </summary>
public sealed class ClientCallInterceptor : Interceptor
{
    /// <summary>The one instance (the interceptor keeps no state).</summary>
    public static ClientCallInterceptor Instance { get; } = new();

    private ClientCallInterceptor()
    {
    }

    /// <inheritdoc />
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var timer = new CallTimer(context.Method.FullName);
        var call = continuation(request, context);
        return new AsyncUnaryCall<TResponse>(timer.Await(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers,
            () => { timer.Complete(StatusCode.Cancelled); call.Dispose(); });
    }

    /// <inheritdoc />
    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var timer = new CallTimer(context.Method.FullName);
        var call = continuation(context);
        return new AsyncClientStreamingCall<TRequest, TResponse>(call.RequestStream, timer.Await(call.ResponseAsync), call.ResponseHeadersAsync,
            call.GetStatus, call.GetTrailers, () => { timer.Complete(StatusCode.Cancelled); call.Dispose(); });
    }

    /// <inheritdoc />
    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
        ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var timer = new CallTimer(context.Method.FullName);
        var call = continuation(request, context);
        return new AsyncServerStreamingCall<TResponse>(new TimedReader<TResponse>(call.ResponseStream, timer), call.ResponseHeadersAsync,
            call.GetStatus, call.GetTrailers, () => { timer.Complete(StatusCode.Cancelled); call.Dispose(); });
    }

    /// <inheritdoc />
    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var timer = new CallTimer(context.Method.FullName);
        var call = continuation(context);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(call.RequestStream, new TimedReader<TResponse>(call.ResponseStream, timer),
            call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, () => { timer.Complete(StatusCode.Cancelled); call.Dispose(); });
    }

    private sealed class CallTimer(string method)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private int _done;

        public void Complete(StatusCode code)
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                GrpcCallMetrics.RecordClient(method, code, Stopwatch.GetElapsedTime(_started));
            }
        }

        public void Fail(Exception exception) => Complete(exception is RpcException rpc ? rpc.StatusCode : StatusCode.Unknown);

        public async Task<T> Await<T>(Task<T> response)
        {
            try
            {
                var result = await response.ConfigureAwait(false);
                Complete(StatusCode.OK);
                return result;
            }
            catch (Exception e)
            {
                Fail(e);
                throw;
            }
        }
    }

    private sealed class TimedReader<T>(IAsyncStreamReader<T> inner, CallTimer timer) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                var more = await inner.MoveNext(cancellationToken).ConfigureAwait(false);
                if (!more)
                {
                    timer.Complete(StatusCode.OK);
                }

                return more;
            }
            catch (Exception e)
            {
                timer.Fail(e);
                throw;
            }
        }
    }
}
