using System.Diagnostics;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Client.Internal;

/// <summary>Sending with retry, and the end of the call: status, telemetry, release of resources.</summary>
internal sealed partial class ClientCall<TRequest, TResponse>
{
    private async Task SendAsync(Func<HttpContent> createContent, bool retryable)
    {
        Token.ThrowIfCancellationRequested();
        var retry = retryable ? _channel.Options.Retry : null;
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            try
            {
                _request?.Dispose();
                _request = CreateRequest(createContent());
                response = await _channel.Invoker.SendAsync(_request, Token).ConfigureAwait(false);
                var error = ClientErrors.CheckHeaders(response, out _trailersOnly);
                _response = response;
                if (error is not null)
                {
                    throw error;
                }

                return;
            }
            catch (Exception e)
            {
                var status = ClientErrors.ToStatus(e, DeadlineExpired);
                if (retry is null || status.StatusCode != StatusCode.Unavailable || attempt >= retry.MaxAttempts)
                {
                    throw status;
                }

                // grpc/proposal A6: a call is retried only before it is committed (no response headers), with jitter.
                var delay = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * retry.Ceiling(attempt).Ticks));
                if (_options.Deadline is { } deadline && _channel.Options.TimeProvider.GetUtcNow() + delay >= deadline)
                {
                    throw status;
                }

                response?.Dispose();
                _response = null;
                Log.Retrying(_channel.Logger, _method.Name, status.StatusCode, attempt, delay);
                await Task.Delay(delay, _channel.Options.TimeProvider, Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends the call with the status of <paramref name="exception"/> and returns that status exception.</summary>
    private GrpcStatusException Fail(Exception exception)
    {
        var status = ClientErrors.ToStatus(exception, DeadlineExpired);
        if (Finish(status.StatusCode, status.Detail))
        {
            _failure = status;
        }

        return _failure ?? status;
    }

    private bool Finish(StatusCode status, string? detail)
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return false;
        }

        if (status != StatusCode.OK)
        {
            _failure = new GrpcStatusException(status, detail ?? "");

            // Cancel whatever is in flight; disposing the response resets the HTTP/2 stream (RST_STREAM CANCEL).
            _cts.Cancel();
            _requestContent?.Fail(_failure);
        }

        _response?.Dispose();
        _request?.Dispose();
        _userRegistration.Dispose();
        _deadlineCts?.Dispose();
        GrpcDiagnostics.SetStatus(_activity, status, detail);
        _activity?.Dispose();
        GrpcDiagnostics.Record(GrpcDiagnostics.ClientDuration, _method.Name, status, _channel.Options.TimeProvider.GetElapsedTime(_start));
        return true;
    }

    private static Activity? StartActivity(string name)
    {
        var activity = GrpcDiagnostics.ActivitySource.StartActivity(name, ActivityKind.Client);
        activity?.SetTag("rpc.method", name);
        return activity;
    }
}
