using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Internal;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP POST (the transport Ethereum nodes serve, EIP-1474) on an <see cref="HttpClient"/> and
/// System.Text.Json. Strict about replies: an answer that is not JSON-RPC 2.0 with the request's id is a
/// <see cref="JsonRpcTransportException"/>, never a guessed value.
/// </summary>
public sealed class HttpJsonRpcTransport : IJsonRpcTransport
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly TimeProvider _time;
    private long _nextId;

    /// <summary>Creates a transport; the <paramref name="http"/> client is the caller's (share one per process).</summary>
    public HttpJsonRpcTransport(HttpClient http, Uri endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _endpoint = endpoint;
        _time = timeProvider ?? TimeProvider.System;
        // Never let credentials in a URL (user info, API-key paths are the operator's concern) reach logs or metrics.
        EndpointName = $"{endpoint.Scheme}://{endpoint.Host}:{endpoint.Port}";
    }

    /// <summary>The endpoint as shown in messages (scheme, host and port only).</summary>
    public string EndpointName { get; }

    /// <inheritdoc />
    public async Task<JsonRpcResponse> SendAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = Interlocked.Increment(ref _nextId);
        var body = Envelope(request, id);
        using var document = await PostAsync(request.Method, body.ToJsonString(), cancellationToken).ConfigureAwait(false);
        var response = Parse(document.RootElement, id, request.Method);
        RecordOutcome(request.Method, response);
        return response;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JsonRpcResponse>> SendBatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return [];
        }

        var firstId = Interlocked.Add(ref _nextId, requests.Count) - requests.Count + 1;
        var batch = new JsonArray([.. requests.Select((r, i) => (JsonNode)Envelope(r, firstId + i))]);
        using var document = await PostAsync("batch", batch.ToJsonString(), cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Array)
        {
            // JSON-RPC 2.0 section 6: a batch that cannot be processed gets a single error object.
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out _))
            {
                var single = Parse(root, null, "batch");
                throw new JsonRpcException("batch", single.Error!);
            }

            throw Malformed("batch", "a batch reply must be an array");
        }

        // Responses may come in any order (section 6): match them by id.
        var responses = new JsonRpcResponse?[requests.Count];
        foreach (var element in root.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("id", out var idElement)
                || idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out var id))
            {
                throw Malformed("batch", "a batch reply element has no numeric id");
            }

            var index = id - firstId;
            if (index < 0 || index >= requests.Count || responses[index] is not null)
            {
                throw Malformed("batch", $"a batch reply has an unknown or repeated id {id}");
            }

            responses[index] = Parse(element, id, requests[(int)index].Method);
        }

        var missing = Array.FindIndex(responses, r => r is null);
        if (missing >= 0)
        {
            throw Malformed("batch", $"the batch reply lacks the answer to request {missing} ({requests[missing].Method})");
        }

        for (var i = 0; i < requests.Count; i++)
        {
            RecordOutcome(requests[i].Method, responses[i]!.Value);
        }

        return [.. responses.Select(r => r!.Value)];
    }

    private static JsonObject Envelope(JsonRpcRequest request, long id) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id,
        ["method"] = request.Method,
        ["params"] = request.Params.DeepClone(),
    };

    private async Task<JsonDocument> PostAsync(string method, string json, CancellationToken cancellationToken)
    {
        using var activity = JsonRpcTelemetry.ActivitySource.StartActivity(method, ActivityKind.Client);
        activity?.SetTag("rpc.system", "jsonrpc");
        activity?.SetTag("rpc.method", method);
        activity?.SetTag("server.address", _endpoint.Host);
        var started = _time.GetTimestamp();
        var outcome = "ok";
        try
        {
            using var content = new StringContent(json, Encoding.UTF8);
            content.Headers.ContentType = s_json;
            using var response = await _http.PostAsync(_endpoint, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                outcome = "http_status";
                throw new JsonRpcTransportException(JsonRpcTransportFailure.HttpStatus, EndpointName,
                    $"{method}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return JsonDocument.Parse(bytes);
            }
            catch (JsonException ex)
            {
                outcome = "malformed";
                throw new JsonRpcTransportException(JsonRpcTransportFailure.MalformedResponse, EndpointName, $"{method}: the reply is not JSON", ex);
            }
        }
        catch (HttpRequestException ex)
        {
            outcome = "network";
            throw new JsonRpcTransportException(JsonRpcTransportFailure.Network, EndpointName, $"{method}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = "timeout";
            throw new JsonRpcTransportException(JsonRpcTransportFailure.Network, EndpointName, $"{method}: timed out", ex);
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

    private JsonRpcResponse Parse(JsonElement root, long? id, string method)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(method, "the reply is not a JSON object");
        }

        if (!root.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
        {
            throw Malformed(method, "the reply is not JSON-RPC 2.0");
        }

        if (id is { } expected && (!root.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number
            || !idElement.TryGetInt64(out var actual) || actual != expected))
        {
            throw Malformed(method, $"the reply's id does not match the request's {expected}");
        }

        var hasResult = root.TryGetProperty("result", out var result);
        var hasError = root.TryGetProperty("error", out var error);
        if (hasResult == hasError)
        {
            throw Malformed(method, "a reply must have exactly one of result and error");
        }

        if (hasResult)
        {
            return new JsonRpcResponse(result.Clone(), null);
        }

        if (error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number
            || !code.TryGetInt32(out var codeValue))
        {
            throw Malformed(method, "the error object has no integer code");
        }

        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
        return new JsonRpcResponse(default, new JsonRpcError(codeValue, message, data));
    }

    private static void RecordOutcome(string method, JsonRpcResponse response)
    {
        if (response.Error is { } error)
        {
            JsonRpcTelemetry.RecordError(method, error.Code);
        }
    }

    private JsonRpcTransportException Malformed(string method, string message)
    {
        JsonRpcTelemetry.RecordTransportFailure(method, "malformed");
        return new JsonRpcTransportException(JsonRpcTransportFailure.MalformedResponse, EndpointName, $"{method}: {message}");
    }
}
