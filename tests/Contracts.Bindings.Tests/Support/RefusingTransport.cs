using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;
using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Contracts.Bindings.Tests.Support;

/// <summary>
/// Forwards everything to a real node except the next <see cref="RefuseSends"/> eth_sendRawTransaction requests, which
/// it answers with the error anvil gives a send that races its own reorganisation ("nonce too low": the block is gone
/// but the nonce not yet rolled back), without forwarding them.
/// </summary>
internal sealed class RefusingTransport(IClient inner) : DelegatingRpcClient(inner)
{
    private int _refuse;
    private int _refused;

    /// <summary>How many of the next sends to refuse.</summary>
    public int RefuseSends { get => Volatile.Read(ref _refuse); set => Volatile.Write(ref _refuse, value); }

    /// <summary>How many sends were refused so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public override Task<RpcResponseMessage> SendAsync(RpcRequestMessage rpcRequestMessage, string? route = null)
    {
        if (rpcRequestMessage.Method == "eth_sendRawTransaction" && TakeOne())
        {
            Interlocked.Increment(ref _refused);
            return Task.FromResult(new RpcResponseMessage(rpcRequestMessage.Id, new Nethereum.JsonRpc.Client.RpcMessages.RpcError { Code = -32003, Message = "nonce too low" }));
        }

        return base.SendAsync(rpcRequestMessage, route);
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
}
