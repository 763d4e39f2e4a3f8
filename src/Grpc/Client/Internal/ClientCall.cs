using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using Google.Protobuf;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Client.Internal;

/// <summary>
/// One client call over HttpClient, whatever its shape: request set-up (PROTOCOL-HTTP2.md "Requests"), deadline and
/// cancellation, retry of UNAVAILABLE before any response, response framing, the final status, and telemetry.
/// Every failure leaves through <see cref="Fail"/> as a <see cref="GrpcStatusException"/>.
/// </summary>
internal sealed partial class ClientCall<TRequest, TResponse> : IGrpcStreamReader<TResponse>, IClientStreamWriter<TRequest>, IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly GrpcChannel _channel;
    private readonly GrpcMethod<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts = new();
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly CancellationTokenRegistration _userRegistration;
    private readonly bool _expiredAtStart;
    private readonly long _start;
    private readonly Activity? _activity;
    private HttpRequestMessage? _request;
    private HttpResponseMessage? _response;
    private PipeReader? _reader;
    private bool _trailersOnly;
    private StreamingContent? _requestContent;
    private Task? _responseTask;
    private TResponse? _current;
    private int _finished;
    private GrpcStatusException? _failure;
    private Metadata? _trailers;

    public ClientCall(GrpcChannel channel, GrpcMethod<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        var time = channel.Options.TimeProvider;
        _start = time.GetTimestamp();
        _activity = StartActivity(method.Name);
        if (options.CancellationToken.CanBeCanceled)
        {
            _userRegistration = options.CancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _cts);
        }

        if (options.Deadline is { } deadline)
        {
            var remaining = deadline - time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                _expiredAtStart = true;
                _cts.Cancel();
            }
            else if (remaining.TotalMilliseconds < uint.MaxValue - 1)
            {
                _deadlineCts = new CancellationTokenSource(remaining, time);
                _deadlineCts.Token.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _cts);
            }
        }
    }

    public TResponse Current => _current ?? throw new InvalidOperationException("No current message: call MoveNextAsync first.");

    public Metadata? Trailers => _trailers;

    private CancellationToken Token => _cts.Token;

    private bool DeadlineExpired => _expiredAtStart || _deadlineCts is { IsCancellationRequested: true };

    /// <summary>A unary call: one request, one response, retried on UNAVAILABLE before any response.</summary>
    public async Task<TResponse> UnaryAsync(TRequest request)
    {
        try
        {
            await SendAsync(() => new SingleMessageContent(request), retryable: true).ConfigureAwait(false);
            return await ReadSingleResponseAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Fail(e);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Starts a server-streaming call; messages are read with <see cref="MoveNextAsync"/>.</summary>
    public void StartServerStreaming(TRequest request) =>
        _responseTask = SendOrFailAsync(() => new SingleMessageContent(request), retryable: true);

    /// <summary>Starts a client-streaming or duplex call; requests are written with <see cref="WriteAsync"/>.</summary>
    public void StartClientStreaming()
    {
        _requestContent = new StreamingContent();
        _responseTask = SendOrFailAsync(() => _requestContent, retryable: false);
    }

    /// <summary>The single response of a client-streaming call.</summary>
    public async Task<TResponse> ResponseAsync()
    {
        try
        {
            await _responseTask!.ConfigureAwait(false);
            return await ReadSingleResponseAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Fail(e);
        }
    }

    public async Task<Metadata> ResponseHeadersAsync()
    {
        await _responseTask!.ConfigureAwait(false);
        return MetadataCodec.FromHeaders(_response!.Headers);
    }

    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _finished) == 1)
        {
            return _failure is null ? false : throw _failure;
        }

        using var registration = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _cts);
        try
        {
            await _responseTask!.ConfigureAwait(false);
            var message = await ReadMessageAsync().ConfigureAwait(false);
            if (message is not null)
            {
                _current = message;
                return true;
            }

            ThrowIfFinalStatusNotOk();
            Finish(StatusCode.OK, null);
            return false;
        }
        catch (Exception e)
        {
            throw Fail(e);
        }
    }

    public async ValueTask WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Volatile.Read(ref _finished) == 1)
        {
            if (_failure is not null)
            {
                throw _failure;
            }

            throw new InvalidOperationException("The call has already completed: no more requests can be written.");
        }

        using var registration = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _cts);
        try
        {
            await _requestContent!.WriteAsync(message, Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The server may have ended the call already; its status (when known) explains the failed write better.
            if (_failure is not null)
            {
                throw _failure;
            }

            if (e is OperationCanceledException && !Token.IsCancellationRequested)
            {
                // Nobody on this side cancelled: HttpClient abandoned the request body because the server finished its
                // response (END_STREAM, then RST_STREAM NO_ERROR). The status is in the trailers, read with the responses.
                throw new GrpcStatusException(StatusCode.Cancelled,
                    "The server ended the call while requests were still being written; read the response stream for its status", innerException: e);
            }

            throw ClientErrors.ToStatus(e, DeadlineExpired);
        }
    }

    public ValueTask CompleteAsync()
    {
        _requestContent!.Complete();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        if (Volatile.Read(ref _finished) == 0)
        {
            Fail(new GrpcStatusException(StatusCode.Cancelled, "Call disposed before it completed"));
        }
    }

    private async Task SendOrFailAsync(Func<HttpContent> content, bool retryable)
    {
        try
        {
            await SendAsync(content, retryable).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Fail(e);
        }
    }

    private async Task<TResponse> ReadSingleResponseAsync()
    {
        var message = await ReadMessageAsync().ConfigureAwait(false);
        if (message is null)
        {
            ThrowIfFinalStatusNotOk();
            throw new GrpcStatusException(StatusCode.Internal, "Failed to deserialize response message: the call ended with OK but no message.");
        }

        if (await ReadMessageAsync().ConfigureAwait(false) is not null)
        {
            throw new GrpcStatusException(StatusCode.Internal, "The response had more than one message for a single-response method.");
        }

        ThrowIfFinalStatusNotOk();
        Finish(StatusCode.OK, null);
        return message;
    }

    private async ValueTask<TResponse?> ReadMessageAsync()
    {
        if (_trailersOnly)
        {
            return null;
        }

        _reader ??= PipeReader.Create(await _response!.Content.ReadAsStreamAsync(Token).ConfigureAwait(false));
        return await MessageFraming.ReadAsync(_reader, _method.ResponseParser, _channel.Options.MaxReceiveMessageSize, Token).ConfigureAwait(false);
    }

    private void ThrowIfFinalStatusNotOk()
    {
        var (code, detail, trailers) = ClientErrors.FinalStatus(_response!);
        _trailers = trailers;
        if (code != StatusCode.OK)
        {
            throw new GrpcStatusException(code, detail, trailers);
        }
    }

    private HttpRequestMessage CreateRequest(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _channel.UriFor(_method.Path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        headers.TryAddWithoutValidation("user-agent", GrpcProtocol.UserAgent);
        if (_options.Deadline is { } deadline)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(deadline - _channel.Options.TimeProvider.GetUtcNow()));
        }

        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                headers.TryAddWithoutValidation(entry.Key, entry.IsBinary ? MetadataCodec.EncodeBinary(entry.RawBytes) : entry.Value);
            }
        }

        // W3C Trace Context in metadata (REFERENCES.md "OpenTelemetry"): the call's span, else the ambient one.
        if ((_activity ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C } trace)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TraceParentHeader, trace.Id);
            if (trace.TraceStateString is { Length: > 0 } state)
            {
                headers.TryAddWithoutValidation(GrpcProtocol.TraceStateHeader, state);
            }
        }

        return request;
    }
}
