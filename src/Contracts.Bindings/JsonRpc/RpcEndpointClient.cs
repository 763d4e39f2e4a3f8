using System.Diagnostics;
using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;
using Newtonsoft.Json;
using SupplyOracle.Contracts.Bindings.Internal;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>
/// One JSON-RPC endpoint over HTTP: Nethereum's <see cref="RpcClient"/> with our two additions, telemetry (one span and
/// one duration per request or batch, errors by code) and typed failures: a network error, an HTTP status, a reply that
/// is not JSON-RPC or a batch reply that lacks an answer become a <see cref="JsonRpcTransportException"/> that names the
/// endpoint and the method.
/// </summary>
public sealed class RpcEndpointClient : RpcClient
{
    // RpcClient sets BaseAddress and Authorization on the HttpClient it is given, so each endpoint gets its own
    // HttpClient; they share one connection pool.
    private static readonly SocketsHttpHandler s_sharedHandler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
    private readonly TimeProvider _time;

    /// <summary>Creates the client of <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The node's URL (credentials in it are used for basic authentication, never shown).</param>
    /// <param name="handler">The HTTP handler (tests); default a process-wide pooled handler.</param>
    /// <param name="timeProvider">The clock for durations.</param>
    /// <param name="timeout">The HTTP timeout of one request (Nethereum's own <see cref="ClientBase.ConnectionTimeout"/> applies too).</param>
    public RpcEndpointClient(Uri endpoint, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null, TimeSpan? timeout = null)
        : base(endpoint ?? throw new ArgumentNullException(nameof(endpoint)),
            new HttpClient(handler ?? s_sharedHandler, disposeHandler: false) { Timeout = timeout ?? TimeSpan.FromSeconds(100) })
    {
        _time = timeProvider ?? TimeProvider.System;
        // Never let credentials in a URL (user info, API-key paths) reach logs or metrics.
        Name = $"{endpoint.Scheme}://{endpoint.Host}:{endpoint.Port}";
    }

    /// <summary>The endpoint as shown in messages (scheme, host and port only).</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override async Task<RpcResponseMessage> SendAsync(RpcRequestMessage rpcRequestMessage, string? route = null)
    {
        ArgumentNullException.ThrowIfNull(rpcRequestMessage);
        var response = await InstrumentAsync(rpcRequestMessage.Method, () => base.SendAsync(rpcRequestMessage, route)).ConfigureAwait(false)
            ?? throw Malformed(rpcRequestMessage.Method, "the reply is empty");
        if (response.JsonRpcVersion != "2.0" || !IdEquals(response.Id, rpcRequestMessage.Id))
        {
            throw Malformed(rpcRequestMessage.Method, "the reply is not JSON-RPC 2.0 with the request's id");
        }

        RecordError(rpcRequestMessage.Method, response);
        return response;
    }

    /// <inheritdoc />
    protected override async Task<RpcResponseMessage[]> SendAsync(RpcRequestMessage[] requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var responses = await InstrumentAsync("batch", () => base.SendAsync(requests)).ConfigureAwait(false)
            ?? throw Malformed("batch", "the batch reply is empty");
        // JSON-RPC 2.0 section 6: answers come in any order, matched by id; every request needs exactly one.
        var ids = requests.Select(r => Convert.ToString(r.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var answered = responses.Select(r => Convert.ToString(r.Id, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (answered.Count != ids.Count || ids.Except(answered).Any() || answered.Distinct().Count() != answered.Count)
        {
            throw Malformed("batch", $"the batch reply does not answer each of the {ids.Count} requests exactly once");
        }

        foreach (var response in responses)
        {
            RecordError(requests[ids.IndexOf(Convert.ToString(response.Id, System.Globalization.CultureInfo.InvariantCulture))].Method, response);
        }

        return responses;
    }

    private async Task<T> InstrumentAsync<T>(string method, Func<Task<T>> send)
    {
        using var activity = JsonRpcTelemetry.ActivitySource.StartActivity(method, ActivityKind.Client);
        activity?.SetTag("rpc.system", "jsonrpc");
        activity?.SetTag("rpc.method", method);
        activity?.SetTag("server.address", Name);
        var started = _time.GetTimestamp();
        var outcome = "ok";
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (RpcClientTimeoutException ex)
        {
            outcome = "timeout";
            throw new JsonRpcTransportException(JsonRpcTransportFailure.Network, Name, $"{method}: timed out", ex);
        }
        catch (RpcClientUnknownException ex) when (ex.InnerException is HttpRequestException { StatusCode: { } status })
        {
            outcome = "http_status";
            throw new JsonRpcTransportException(JsonRpcTransportFailure.HttpStatus, Name, $"{method}: HTTP {(int)status} {status}", ex);
        }
        catch (RpcClientUnknownException ex) when (ex.InnerException is JsonException)
        {
            outcome = "malformed";
            throw new JsonRpcTransportException(JsonRpcTransportFailure.MalformedResponse, Name, $"{method}: the reply is not JSON-RPC", ex);
        }
        catch (RpcClientUnknownException ex)
        {
            outcome = "network";
            throw new JsonRpcTransportException(JsonRpcTransportFailure.Network, Name, $"{method}: {ex.InnerException?.Message ?? ex.Message}", ex);
        }
        finally
        {
            JsonRpcTelemetry.RecordDuration(method, _time.GetElapsedTime(started).TotalSeconds, outcome);
            if (outcome != "ok")
            {
                JsonRpcTelemetry.RecordTransportFailure(method, outcome);
                activity?.SetStatus(ActivityStatusCode.Error, outcome);
            }
        }
    }

    private static bool IdEquals(object? a, object? b) =>
        string.Equals(Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture), Convert.ToString(b, System.Globalization.CultureInfo.InvariantCulture),
            StringComparison.Ordinal);

    private static void RecordError(string method, RpcResponseMessage response)
    {
        if (response.Error is { } error)
        {
            JsonRpcTelemetry.RecordError(method, error.Code);
        }
    }

    private JsonRpcTransportException Malformed(string method, string message)
    {
        JsonRpcTelemetry.RecordTransportFailure(method, "malformed");
        return new JsonRpcTransportException(JsonRpcTransportFailure.MalformedResponse, Name, $"{method}: {message}");
    }
}
