using System.Text;

namespace SupplyOracle.Aggregator.Dashboard.Internal;

/// <summary>
/// <c>/dashboard/events</c>: a server-sent event stream (HTML Living Standard, "Server-sent events"). It polls
/// <see cref="DashboardSource.StateAsync"/> every <c>Aggregator:Query:PollMilliseconds</c>, as the Status service's
/// Watch polls the projection, and sends <c>event: state</c> with the new state whenever it moves (and once at the
/// start, so a page rendered just before a change still hears of it); a comment every 15 s keeps proxies from closing
/// an idle stream. The stream ends when the client goes or the host stops.
/// </summary>
internal static class DashboardEvents
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext context, DashboardSource source)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = linked.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        string? sent = null;
        var quietSince = source.Time.GetTimestamp();
        try
        {
            // A client reconnects after 2 s when the stream drops (the "retry" field).
            await response.WriteAsync("retry: 2000\n\n", ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                string? state;
                try
                {
                    state = await source.StateAsync(ct).ConfigureAwait(false);
                }
                catch (Query.QueryUnavailableException)
                {
                    state = null; // the database or node is away: say nothing, try again next poll
                }

                if (state is not null && state != sent)
                {
                    await response.WriteAsync(new StringBuilder("event: state\ndata: ").Append(state).Append("\n\n").ToString(), ct).ConfigureAwait(false);
                    await response.Body.FlushAsync(ct).ConfigureAwait(false);
                    sent = state;
                    quietSince = source.Time.GetTimestamp();
                }
                else if (source.Time.GetElapsedTime(quietSince) >= KeepAlive)
                {
                    await response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
                    await response.Body.FlushAsync(ct).ConfigureAwait(false);
                    quietSince = source.Time.GetTimestamp();
                }

                await Task.Delay(source.PollInterval, source.Time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the host is stopping.
        }
    }
}
