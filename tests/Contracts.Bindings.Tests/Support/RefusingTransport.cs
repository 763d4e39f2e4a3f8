using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Contracts.Bindings.Tests.Support;

/// <summary>
/// Forwards everything to a real node except the next <see cref="RefuseSends"/> eth_sendRawTransaction requests, which
/// it answers with the error anvil gives a send that races its own reorganisation ("nonce too low": the block is gone
/// but the nonce not yet rolled back), without forwarding them.
/// </summary>
internal sealed class RefusingTransport(IJsonRpcTransport inner) : IJsonRpcTransport
{
    private int _refuse;
    private int _refused;

    /// <summary>How many of the next sends to refuse.</summary>
    public int RefuseSends { get => Volatile.Read(ref _refuse); set => Volatile.Write(ref _refuse, value); }

    /// <summary>How many sends were refused so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public Task<JsonRpcResponse> SendAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        if (request.Method == "eth_sendRawTransaction" && TakeOne())
        {
            Interlocked.Increment(ref _refused);
            return Task.FromResult(new JsonRpcResponse(default, new JsonRpcError(-32003, "nonce too low", null)));
        }

        return inner.SendAsync(request, cancellationToken);
    }

    private bool TakeOne()
    {
        while (true)
        {
            var left = Volatile.Read(ref _refuse);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _refuse, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    public Task<IReadOnlyList<JsonRpcResponse>> SendBatchAsync(IReadOnlyList<JsonRpcRequest> requests, CancellationToken cancellationToken) =>
        inner.SendBatchAsync(requests, cancellationToken);
}
