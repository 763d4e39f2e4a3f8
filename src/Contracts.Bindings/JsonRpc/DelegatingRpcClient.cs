using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>
/// A Nethereum <see cref="IClient"/> that forwards to another: the base of layers that watch or change the traffic
/// (counting round trips, several endpoints). Override <see cref="SendAsync(RpcRequestMessage, string)"/> for single
/// requests and <see cref="SendBatchAsync"/> for batches.
/// </summary>
public abstract class DelegatingRpcClient : ClientBase
{
    /// <summary>Creates the layer over <paramref name="inner"/> (null only for layers that override both sends).</summary>
    protected DelegatingRpcClient(IClient? inner) => Inner = inner;

    /// <summary>The client forwarded to.</summary>
    protected IClient? Inner { get; }

    /// <inheritdoc />
    public override Task<RpcResponseMessage> SendAsync(RpcRequestMessage rpcRequestMessage, string? route = null) =>
        (Inner ?? throw new InvalidOperationException("no inner client")).SendAsync(rpcRequestMessage, route);

    /// <summary>Sends a batch and returns the raw responses (one per request, matched by id, in request order).</summary>
    public virtual Task<RpcResponseMessage[]> SendBatchAsync(RpcRequestMessage[] requests) =>
        SendRawBatchAsync(Inner ?? throw new InvalidOperationException("no inner client"), requests);

    /// <inheritdoc />
    protected sealed override Task<RpcResponseMessage[]> SendAsync(RpcRequestMessage[] requests) => SendBatchAsync(requests);

    /// <summary>
    /// Sends <paramref name="requests"/> as one batch through any Nethereum client and returns the raw responses in
    /// request order (errors included, not thrown).
    /// </summary>
    /// <exception cref="JsonRpcTransportException">a request got no answer.</exception>
    public static async Task<RpcResponseMessage[]> SendRawBatchAsync(IClient client, RpcRequestMessage[] requests)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(requests);
        if (client is DelegatingRpcClient layer)
        {
            return await layer.SendBatchAsync(requests).ConfigureAwait(false);
        }

        var items = requests.Select(r => new RawItem(r)).ToList();
        var batch = new RpcRequestResponseBatch { AcceptPartiallySuccessful = true, BatchItems = [.. items] };
        await client.SendBatchRequestAsync(batch).ConfigureAwait(false);
        return [.. items.Select(i => i.Response ?? throw new JsonRpcTransportException(JsonRpcTransportFailure.MalformedResponse, "batch",
            $"the batch reply lacks the answer to {i.RpcRequestMessage.Method}"))];
    }

    private sealed class RawItem(RpcRequestMessage request) : IRpcRequestResponseBatchItem
    {
        public RpcResponseMessage? Response { get; private set; }

        public bool HasError => Response?.HasError ?? false;

        public object? RawResponse => Response;

        public Nethereum.JsonRpc.Client.RpcError? RpcError => Response?.Error is { } e ? new(e.Code, e.Message, e.Data) : null;

        public RpcRequestMessage RpcRequestMessage => request;

        public void DecodeResponse(RpcResponseMessage rpcResponse) => Response = rpcResponse;
    }
}
