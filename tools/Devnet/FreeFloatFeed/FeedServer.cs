using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.FreeFloatFeed;

/// <summary>
/// A small HTTP JSON feed of free-float figures (<c>GET /free-float/{token}</c> → <c>{"value":"…","token":"…"}</c>), the
/// off-chain source one reporter is configured with (its HttpJsonSource, README "Reporter configuration"), so that not
/// every reporter derives its figure the same way.
/// </summary>
internal sealed class FeedServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Func<Address, CancellationToken, Task<BigInteger?>> _value;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private FeedServer(HttpListener listener, int port, Func<Address, CancellationToken, Task<BigInteger?>> value)
    {
        _listener = listener;
        _value = value;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The feed's base address.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The URL of <paramref name="token"/>'s figure.</summary>
    public Uri UrlOf(Address token) => new(BaseUrl, $"free-float/{token}");

    /// <summary>Starts the feed on a free loopback port; <paramref name="value"/> computes a token's figure (null: 404).</summary>
    public static FeedServer Start(Func<Address, CancellationToken, Task<BigInteger?>> value)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FeedServer(listener, port, value);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            await AnswerAsync(context).ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        var segments = context.Request.Url?.AbsolutePath.Trim('/').Split('/') ?? [];
        BigInteger? value = null;
        string? error = null;
        if (segments is ["free-float", var text] && Address.TryParse(text, out var token))
        {
            try
            {
                value = await _value(token, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error = e.Message;
            }
        }

        response.ContentType = "application/json";
        response.StatusCode = value is null ? (error is null ? 404 : 503) : 200;
        var body = value is { } v
            ? $"{{\"token\":\"{segments[1]}\",\"value\":\"{v.ToString(CultureInfo.InvariantCulture)}\"}}"
            : $"{{\"error\":\"{(error ?? "unknown token").Replace("\"", "'", StringComparison.Ordinal)}\"}}";
        var bytes = Encoding.UTF8.GetBytes(body);
        try
        {
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
        catch (HttpListenerException)
        {
            // The client went away; nothing to answer.
        }
    }

    /// <summary>Stops the feed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
