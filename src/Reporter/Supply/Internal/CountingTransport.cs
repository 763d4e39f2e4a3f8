using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Reporter.Supply.Internal;

/// <summary>Counts JSON-RPC round trips (a single request or a whole batch is one) through a transport.</summary>
internal sealed class CountingTransport(IJsonRpcTransport inner) : IJsonRpcTransport
{
    private int _roundTrips;

    public int RoundTrips => Volatile.Read(ref _roundTrips);

    public Task<JsonRpcResponse> SendAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _roundTrips);
        return inner.SendAsync(request, cancellationToken);
    }

    public Task<IReadOnlyList<JsonRpcResponse>> SendBatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _roundTrips);
        return inner.SendBatchAsync(requests, cancellationToken);
    }
}
