using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;
using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Reporter.Supply.Internal;

/// <summary>Counts JSON-RPC round trips (a single request or a whole batch is one) through a Nethereum client.</summary>
internal sealed class CountingTransport(IClient inner) : DelegatingRpcClient(inner)
{
    private int _roundTrips;

    public int RoundTrips => Volatile.Read(ref _roundTrips);

    public override Task<RpcResponseMessage> SendAsync(RpcRequestMessage rpcRequestMessage, string? route = null)
    {
        Interlocked.Increment(ref _roundTrips);
        return base.SendAsync(rpcRequestMessage, route);
    }

    public override Task<RpcResponseMessage[]> SendBatchAsync(RpcRequestMessage[] requests)
    {
        Interlocked.Increment(ref _roundTrips);
        return base.SendBatchAsync(requests);
    }
}
