using System.Text.Json;
using System.Text.Json.Nodes;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>A JSON-RPC 2.0 request (the transport assigns the id).</summary>
/// <param name="Method">The method, e.g. <c>eth_call</c>.</param>
/// <param name="Params">The positional parameters.</param>
public sealed record JsonRpcRequest(string Method, JsonArray Params)
{
    /// <summary>A request from parameters that are JSON nodes or plain values.</summary>
    public static JsonRpcRequest Create(string method, params JsonNode?[] parameters) => new(method, new JsonArray(parameters));
}

/// <summary>A JSON-RPC 2.0 error object (JSON-RPC 2.0 section 5.1; Ethereum codes in EIP-1474).</summary>
/// <param name="Code">The error code.</param>
/// <param name="Message">The node's message (for people; never branched on).</param>
/// <param name="Data">The optional data member (revert data for <c>eth_call</c>/<c>eth_estimateGas</c>).</param>
public sealed record JsonRpcError(int Code, string Message, JsonElement? Data);

/// <summary>One response: a result or an error.</summary>
/// <param name="Result">The result when there is no error.</param>
/// <param name="Error">The error, or null.</param>
public readonly record struct JsonRpcResponse(JsonElement Result, JsonRpcError? Error)
{
    /// <summary>The result, or throws the error as a <see cref="JsonRpcException"/>.</summary>
    public JsonElement GetResultOrThrow(string method) => Error is null ? Result : throw new JsonRpcException(method, Error);
}

/// <summary>Sends JSON-RPC requests to a node (or several).</summary>
public interface IJsonRpcTransport
{
    /// <summary>Sends one request; a JSON-RPC error comes back as the response's <see cref="JsonRpcResponse.Error"/>.</summary>
    /// <exception cref="JsonRpcTransportException">no well-formed answer (network, HTTP status, garbage).</exception>
    Task<JsonRpcResponse> SendAsync(JsonRpcRequest request, CancellationToken cancellationToken);

    /// <summary>Sends a batch (JSON-RPC 2.0 section 6) and returns the responses in request order.</summary>
    Task<IReadOnlyList<JsonRpcResponse>> SendBatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken);
}
