using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Chaos;

/// <summary>What the proxy does to requests.</summary>
internal enum ProxyMode
{
    /// <summary>Forwards every request and answer unchanged.</summary>
    Honest,

    /// <summary>Answers <c>eth_blockNumber</c> with a head <see cref="RpcFaultProxy.LieBlocksBehind"/> blocks behind and block headers with a hash that is not the chain's.</summary>
    Lie,

    /// <summary>Holds every request without an answer until the mode changes (the client's timeout fires first).</summary>
    Timeout,
}

/// <summary>
/// A fault-injecting JSON-RPC endpoint in front of anvil for some reporters (issue 24): honest, lying or silent as the
/// chaos run sets it. A lying node is caught by the protocol (a batch over a wrong reference hash fails verification,
/// docs/protocol.md section 4); a silent one by the reporter's RPC timeout.
/// </summary>
internal sealed class RpcFaultProxy : IAsyncDisposable
{
    /// <summary>How far behind the lying head is.</summary>
    public const ulong LieBlocksBehind = 3;

    private readonly HttpListener _listener;
    private readonly Uri _upstream;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile ProxyMode _mode;
    private TaskCompletionSource _modeChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RpcFaultProxy(HttpListener listener, int port, Uri upstream)
    {
        _listener = listener;
        _upstream = upstream;
        Url = new Uri($"http://127.0.0.1:{port}/");
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The proxy's JSON-RPC URL.</summary>
    public Uri Url { get; }

    /// <summary>The current mode.</summary>
    public ProxyMode Mode
    {
        get => _mode;
        set
        {
            _mode = value;
            Interlocked.Exchange(ref _modeChanged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    /// <summary>Starts an honest proxy of <paramref name="upstream"/> on a free loopback port.</summary>
    public static RpcFaultProxy Start(Uri upstream)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new RpcFaultProxy(listener, port, upstream);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Applies the lie of <see cref="ProxyMode.Lie"/> to one answer of a <paramref name="method"/> call; other answers are unchanged.</summary>
    public static void Lie(string? method, JsonObject response)
    {
        ArgumentNullException.ThrowIfNull(response);
        switch (method, response["result"])
        {
            case ("eth_blockNumber", JsonValue value) when value.TryGetValue<string>(out var hex) && hex.StartsWith("0x", StringComparison.Ordinal):
                var head = ulong.Parse(hex.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                response["result"] = "0x" + (head > LieBlocksBehind ? head - LieBlocksBehind : 0).ToString("x", CultureInfo.InvariantCulture);
                break;
            case ("eth_getBlockByNumber" or "eth_getBlockByHash", JsonObject block) when block["hash"]?.GetValue<string>() is { Length: 66 } hash:
                // The same header with a different hash: the last nibble flipped.
                var last = hash[^1] == '0' ? '1' : '0';
                block["hash"] = hash[..^1] + last;
                break;
            default:
                break;
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
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            if (_mode == ProxyMode.Timeout)
            {
                // Silent until the mode changes (or 60 s): the reporter's own RPC timeout gives up first.
                await Task.WhenAny(_modeChanged.Task, Task.Delay(TimeSpan.FromSeconds(60), _stop.Token)).ConfigureAwait(false);
                response.Abort();
                return;
            }

            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(_stop.Token).ConfigureAwait(false);
            }

            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var upstream = await _http.PostAsync(_upstream, content, _stop.Token).ConfigureAwait(false);
            var answer = await upstream.Content.ReadAsStringAsync(_stop.Token).ConfigureAwait(false);
            if (_mode == ProxyMode.Lie && upstream.IsSuccessStatusCode)
            {
                answer = LieAbout(body, answer);
            }

            response.StatusCode = (int)upstream.StatusCode;
            response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(answer);
            await response.OutputStream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or HttpRequestException or IOException or OperationCanceledException or ObjectDisposedException
            or System.Text.Json.JsonException)
        {
            // anvil paused or stopped, or the client went away: the client sees a broken connection.
            try
            {
                response.Abort();
            }
            catch (ObjectDisposedException)
            {
                // Already gone.
            }
        }
    }

    private static string LieAbout(string request, string answer)
    {
        var methods = new Dictionary<string, string?>();
        var parsed = JsonNode.Parse(request);
        foreach (var call in parsed is JsonArray calls ? calls.OfType<JsonObject>() : parsed is JsonObject one ? [one] : [])
        {
            methods[call["id"]?.ToJsonString() ?? ""] = call["method"]?.GetValue<string>();
        }

        var result = JsonNode.Parse(answer);
        foreach (var item in result is JsonArray items ? items.OfType<JsonObject>() : result is JsonObject single ? [single] : [])
        {
            Lie(methods.GetValueOrDefault(item["id"]?.ToJsonString() ?? ""), item);
        }

        return result?.ToJsonString() ?? answer;
    }

    /// <summary>Stops the proxy.</summary>
    public async ValueTask DisposeAsync()
    {
        Mode = ProxyMode.Honest;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _http.Dispose();
    }
}
