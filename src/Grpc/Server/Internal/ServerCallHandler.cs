using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using SupplyOracle.Grpc.Internal;

namespace SupplyOracle.Grpc.Server.Internal;

/// <summary>
/// The one boundary of a server call: validates the request (PROTOCOL-HTTP2.md "Requests"), sets up the deadline,
/// runs the shape-specific handler, maps every exception to a status, and writes the status as trailers, or as a
/// Trailers-Only response when nothing was sent yet.
/// </summary>
internal abstract class ServerCallHandler(string method, ServerRuntime runtime)
{
    protected string Method { get; } = method;

    /// <summary><c>pkg.Service/Method</c>: the span name and <c>rpc.method</c> (the path without its leading slash).</summary>
    private readonly string _name = method[1..];

    protected ServerRuntime Runtime { get; } = runtime;

    /// <summary>Whether this call shape reads a request stream (client streaming and duplex).</summary>
    protected abstract bool StreamsRequests { get; }

    /// <summary>Whether either side streams: such calls may live for hours and must end when the host stops.</summary>
    protected abstract bool IsStreaming { get; }

    public async Task HandleAsync(HttpContext http)
    {
        if (!await ServerPreconditions.CheckAsync(http, Method, Runtime).ConfigureAwait(false))
        {
            return;
        }

        var start = Runtime.TimeProvider.GetTimestamp();
        using var activity = StartActivity(http);
        if (StreamsRequests)
        {
            // Long-lived request streams send nothing for minutes: Kestrel's body rate and size limits must not apply.
            if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
            {
                rate.MinDataRate = null;
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = null;
            }
        }

        CancellationTokenSource? deadlineCts = null;
        CancellationTokenSource? linkedCts = null;
        DateTimeOffset? deadline = null;
        var token = http.RequestAborted;
        if (GrpcTimeout.TryParse(http.Request.Headers[GrpcProtocol.TimeoutHeader], out var timeout) && timeout < MaxTimer)
        {
            deadline = Runtime.TimeProvider.GetUtcNow() + timeout;
            deadlineCts = new CancellationTokenSource(timeout, Runtime.TimeProvider);
        }

        var stopping = IsStreaming ? Runtime.Stopping : CancellationToken.None;
        if (deadlineCts is not null || stopping.CanBeCanceled)
        {
            // One linked source per call, and only when there is something to link (unary calls without a deadline skip it).
            linkedCts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, deadlineCts?.Token ?? default, stopping);
            token = linkedCts.Token;
        }

        var context = new ServerCallContext(http, Method, deadline, token);
        StatusCode status;
        string? detail = null;
        try
        {
            http.Response.ContentType = GrpcProtocol.ContentType;
            await HandleCallAsync(context).ConfigureAwait(false);
            status = StatusCode.OK;
        }
        catch (Exception e) when (deadlineCts is { IsCancellationRequested: true } && !http.RequestAborted.IsCancellationRequested)
        {
            // PROTOCOL-HTTP2.md "Timeouts": the server ends the call with DEADLINE_EXCEEDED once the deadline passes.
            status = StatusCode.DeadlineExceeded;
            detail = "Deadline exceeded";
            Log.CallFailed(Runtime.Logger, Method, status, e.GetType().Name);
        }
        catch (Exception e) when (stopping.IsCancellationRequested && !http.RequestAborted.IsCancellationRequested)
        {
            // The host is stopping: UNAVAILABLE tells the client to reconnect (to another replica) and retry.
            status = StatusCode.Unavailable;
            detail = "Server is shutting down";
            Log.CallFailed(Runtime.Logger, Method, status, e.GetType().Name);
        }
        catch (GrpcStatusException e)
        {
            status = e.StatusCode;
            detail = e.Detail;
            foreach (var entry in e.Trailers)
            {
                context.ResponseTrailers.AddUnchecked(entry);
            }

            Log.CallFailed(Runtime.Logger, Method, status, detail);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            status = StatusCode.Cancelled;
            detail = "Call cancelled by the client";
        }
        catch (Exception e)
        {
            // Anything else is a bug or an unexpected failure: log it, tell the client nothing about it.
            status = StatusCode.Unknown;
            detail = "Exception was thrown by handler.";
            Log.HandlerFailed(Runtime.Logger, Method, e);
        }
        finally
        {
            linkedCts?.Dispose();
            deadlineCts?.Dispose();
        }

        if (!http.RequestAborted.IsCancellationRequested)
        {
            // Kestrel resets a request stream left open once the response (with these trailers) has ended.
            ServerStatusWriter.Write(http, status, detail, context.HasResponseTrailers ? context.ResponseTrailers : null, context.MessageWritten);
        }

        GrpcDiagnostics.SetStatus(activity, status, detail);
        GrpcDiagnostics.Record(GrpcDiagnostics.ServerDuration, _name, status, Runtime.TimeProvider.GetElapsedTime(start));
    }

    protected abstract Task HandleCallAsync(ServerCallContext context);

    /// <summary>CancellationTokenSource accepts at most uint.MaxValue - 1 ms; longer deadlines are as good as none.</summary>
    private static readonly TimeSpan MaxTimer = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private Activity? StartActivity(HttpContext http)
    {
        if (!GrpcDiagnostics.ActivitySource.HasListeners())
        {
            return null;
        }

        // W3C Trace Context propagated in metadata; ASP.NET Core's own request activity, when present, already has it.
        var parent = Activity.Current?.Context ?? default;
        if (Activity.Current is null
            && ActivityContext.TryParse(http.Request.Headers[GrpcProtocol.TraceParentHeader], http.Request.Headers[GrpcProtocol.TraceStateHeader],
                isRemote: true, out var remote))
        {
            parent = remote;
        }

        var activity = GrpcDiagnostics.ActivitySource.StartActivity(_name, ActivityKind.Server, parent);
        activity?.SetTag("rpc.method", _name);
        return activity;
    }
}
