using SupplyOracle.Contracts.Bindings.Internal;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>
/// The node answered with a JSON-RPC error. <see cref="Code"/> is the code (EIP-1474: -32000 generic, 3 execution
/// reverted, -32005 limit exceeded, ...); <see cref="RevertData"/> holds the revert data of a failed call when the node
/// sent it, to decode with the contract's ABI.
/// </summary>
public sealed class JsonRpcException : Exception
{
    /// <summary>Creates the exception from the node's error object.</summary>
    /// <param name="method">The method that failed.</param>
    /// <param name="code">The JSON-RPC error code.</param>
    /// <param name="message">The node's message.</param>
    /// <param name="data">The error's data member as Nethereum read it (a string, a JSON token, or null).</param>
    public JsonRpcException(string method, int code, string message, object? data)
        : base($"{method} failed with JSON-RPC error {code}: {message}")
    {
        Method = method;
        Code = code;
        RpcMessage = message;
        ErrorData = data is null ? null : NethereumConvert.Json(data);
        RevertData = NethereumConvert.RevertData(data);
    }

    /// <summary>The method that failed.</summary>
    public string Method { get; }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The node's message.</summary>
    public string RpcMessage { get; }

    /// <summary>The raw data member as JSON text, or null.</summary>
    public string? ErrorData { get; }

    /// <summary>The revert data (selector and arguments) when the node sent it as hex, else null.</summary>
    public byte[]? RevertData { get; }

    /// <summary>True when the node reports that a range or result limit was exceeded (EIP-1474 code -32005).</summary>
    public bool IsLimitExceeded => Code == JsonRpcErrorCodes.LimitExceeded;
}

/// <summary>JSON-RPC error codes this client acts on (JSON-RPC 2.0 section 5.1, EIP-1474).</summary>
public static class JsonRpcErrorCodes
{
    /// <summary>Execution reverted (geth/anvil use 3 for a revert with data).</summary>
    public const int ExecutionReverted = 3;

    /// <summary>Limit exceeded (EIP-1474): too many results or too wide a range.</summary>
    public const int LimitExceeded = -32005;
}

/// <summary>Why there was no usable answer.</summary>
public enum JsonRpcTransportFailure
{
    /// <summary>The connection failed or timed out.</summary>
    Network,

    /// <summary>The HTTP status was not 2xx.</summary>
    HttpStatus,

    /// <summary>The body is not JSON-RPC 2.0 (not JSON, no result nor error, wrong id, a bad batch).</summary>
    MalformedResponse,

    /// <summary>The result does not have the shape the method defines (a quantity that is not hex, a missing field).</summary>
    UnexpectedResult,

    /// <summary>Several endpoints gave different answers under an all-must-agree policy.</summary>
    Disagreement,

    /// <summary>Every endpoint is marked unhealthy.</summary>
    NoHealthyEndpoint,
}

/// <summary>No well-formed JSON-RPC answer: <see cref="Failure"/> says why.</summary>
public sealed class JsonRpcTransportException(JsonRpcTransportFailure failure, string endpoint, string message, Exception? inner = null)
    : Exception($"{endpoint}: {message}", inner)
{
    /// <summary>Why.</summary>
    public JsonRpcTransportFailure Failure { get; } = failure;

    /// <summary>The endpoint (a URL without credentials, or a policy's name).</summary>
    public string Endpoint { get; } = endpoint;
}
