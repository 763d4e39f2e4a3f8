using System.Text.Json;
using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Reporter.Tests.Support;

/// <summary>A transport that forwards to a real node and counts round trips, optionally rewriting answers (a lying endpoint).</summary>
internal sealed class TamperingTransport(IJsonRpcTransport inner, Func<JsonRpcRequest, JsonRpcResponse, JsonRpcResponse>? rewrite = null) : IJsonRpcTransport
{
    public int RoundTrips;

    public async Task<JsonRpcResponse> SendAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref RoundTrips);
        var response = await inner.SendAsync(request, cancellationToken);
        return rewrite is null ? response : rewrite(request, response);
    }

    public async Task<IReadOnlyList<JsonRpcResponse>> SendBatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref RoundTrips);
        var responses = await inner.SendBatchAsync(requests, cancellationToken);
        return rewrite is null ? responses : [.. requests.Zip(responses, rewrite)];
    }

    /// <summary>An eth_call result of one uint256.</summary>
    public static JsonRpcResponse Uint256(System.Numerics.BigInteger value) =>
        new(JsonSerializer.SerializeToElement("0x" + value.ToString("x64", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0').PadLeft(64, '0')), null);
}
