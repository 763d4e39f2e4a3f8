using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;
using Newtonsoft.Json.Linq;
using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Reporter.Tests.Support;

/// <summary>A Nethereum client that forwards to a real node and counts round trips, optionally rewriting answers (a lying endpoint).</summary>
internal sealed class TamperingTransport(IClient inner, Func<RpcRequestMessage, RpcResponseMessage, RpcResponseMessage>? rewrite = null)
    : DelegatingRpcClient(inner)
{
    public int RoundTrips;

    public override async Task<RpcResponseMessage> SendAsync(RpcRequestMessage rpcRequestMessage, string? route = null)
    {
        Interlocked.Increment(ref RoundTrips);
        var response = await base.SendAsync(rpcRequestMessage, route);
        return rewrite is null ? response : rewrite(rpcRequestMessage, response);
    }

    public override async Task<RpcResponseMessage[]> SendBatchAsync(RpcRequestMessage[] requests)
    {
        Interlocked.Increment(ref RoundTrips);
        var responses = await base.SendBatchAsync(requests);
        return rewrite is null ? responses : [.. requests.Zip(responses, rewrite)];
    }

    /// <summary>The eth_call input of a request (null for other methods).</summary>
    public static Nethereum.RPC.Eth.DTOs.CallInput? Call(RpcRequestMessage request) =>
        request.Method == "eth_call" && request.RawParameters is object[] { Length: > 0 } p ? p[0] as Nethereum.RPC.Eth.DTOs.CallInput : null;

    /// <summary>An eth_call result of one uint256, answering <paramref name="request"/>.</summary>
    public static RpcResponseMessage Uint256(RpcRequestMessage request, System.Numerics.BigInteger value) =>
        new(request.Id, (object)new JValue("0x" + value.ToString("x64", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0').PadLeft(64, '0')));
}
