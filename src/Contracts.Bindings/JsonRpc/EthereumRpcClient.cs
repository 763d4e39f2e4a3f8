using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Internal;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>
/// Typed Ethereum JSON-RPC (the execution API, EIP-1474) over an <see cref="IJsonRpcTransport"/>: state reads at a
/// block number or hash (EIP-1898), blocks, logs with range splitting, fees, gas, raw transactions and receipts.
/// A node error is a <see cref="JsonRpcException"/> (with revert data); an answer of the wrong shape is a
/// <see cref="JsonRpcTransportException"/>.
/// </summary>
public sealed partial class EthereumRpcClient
{
    private readonly IJsonRpcTransport _transport;

    /// <summary>Creates a client over a transport (one endpoint or a multi-endpoint policy).</summary>
    public EthereumRpcClient(IJsonRpcTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
    }

    /// <summary>The transport.</summary>
    public IJsonRpcTransport Transport => _transport;

    /// <summary>eth_chainId.</summary>
    public async Task<ulong> ChainIdAsync(CancellationToken cancellationToken = default) =>
        Quantity.ParseUInt64(await SendAsync("eth_chainId", cancellationToken).ConfigureAwait(false), "eth_chainId");

    /// <summary>eth_blockNumber.</summary>
    public async Task<ulong> BlockNumberAsync(CancellationToken cancellationToken = default) =>
        Quantity.ParseUInt64(await SendAsync("eth_blockNumber", cancellationToken).ConfigureAwait(false), "eth_blockNumber");

    /// <summary>eth_getBlockByNumber / eth_getBlockByHash (transaction hashes only); null when the node has no such block.</summary>
    public async Task<Block?> GetBlockAsync(BlockId block, CancellationToken cancellationToken = default)
    {
        var result = block.Hash is { } hash
            ? await SendAsync("eth_getBlockByHash", cancellationToken, hash.ToString(), false).ConfigureAwait(false)
            : await SendAsync("eth_getBlockByNumber", cancellationToken, block.ToJson(), false).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Null ? null : RpcParsing.Block(result);
    }

    /// <summary>eth_getBalance.</summary>
    public async Task<Wei> GetBalanceAsync(Address account, BlockId block, CancellationToken cancellationToken = default) =>
        new(Quantity.ParseBig(await SendAsync("eth_getBalance", cancellationToken, account.ToString(), block.ToJson()).ConfigureAwait(false), "eth_getBalance"));

    /// <summary>eth_getTransactionCount (use <see cref="BlockId.Pending"/> for the next nonce).</summary>
    public async Task<ulong> GetTransactionCountAsync(Address account, BlockId block, CancellationToken cancellationToken = default) =>
        Quantity.ParseUInt64(await SendAsync("eth_getTransactionCount", cancellationToken, account.ToString(), block.ToJson()).ConfigureAwait(false),
            "eth_getTransactionCount");

    /// <summary>eth_getCode.</summary>
    public async Task<byte[]> GetCodeAsync(Address account, BlockId block, CancellationToken cancellationToken = default) =>
        Quantity.ParseData(await SendAsync("eth_getCode", cancellationToken, account.ToString(), block.ToJson()).ConfigureAwait(false), "eth_getCode");

    /// <summary>eth_call at a block; a revert throws <see cref="JsonRpcException"/> with <see cref="JsonRpcException.RevertData"/>.</summary>
    public async Task<byte[]> CallAsync(CallRequest call, BlockId block, CancellationToken cancellationToken = default) =>
        Quantity.ParseData(await SendAsync("eth_call", cancellationToken, RpcParsing.ToJson(call), block.ToJson()).ConfigureAwait(false), "eth_call");

    /// <summary>
    /// Many eth_calls at one block in one JSON-RPC batch round trip; each result is return data or its own error, so
    /// one revert does not hide the other answers.
    /// </summary>
    public async Task<IReadOnlyList<CallResult>> CallBatchAsync(IReadOnlyList<CallRequest> calls, BlockId block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var requests = calls.Select(c => JsonRpcRequest.Create("eth_call", RpcParsing.ToJson(c), block.ToJson())).ToList();
        var responses = await _transport.SendBatchAsync(requests, cancellationToken).ConfigureAwait(false);
        return [.. responses.Select(r => r.Error is { } e
            ? new CallResult(null, new JsonRpcException("eth_call", e))
            : new CallResult(Quantity.ParseData(r.Result, "eth_call"), null))];
    }

    /// <summary>eth_estimateGas; a revert throws <see cref="JsonRpcException"/> with revert data.</summary>
    public async Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default) =>
        Quantity.ParseUInt64(await SendAsync("eth_estimateGas", cancellationToken, RpcParsing.ToJson(call)).ConfigureAwait(false), "eth_estimateGas");

    /// <summary>eth_maxPriorityFeePerGas: the node's tip suggestion.</summary>
    public async Task<Wei> MaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        new(Quantity.ParseBig(await SendAsync("eth_maxPriorityFeePerGas", cancellationToken).ConfigureAwait(false), "eth_maxPriorityFeePerGas"));

    /// <summary>eth_feeHistory over the last <paramref name="blockCount"/> blocks up to <paramref name="newest"/>.</summary>
    public async Task<FeeHistory> FeeHistoryAsync(int blockCount, BlockId newest, IReadOnlyList<double> rewardPercentiles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewardPercentiles);
        var result = await SendAsync("eth_feeHistory", cancellationToken, Quantity.Encode((ulong)blockCount), newest.ToJson(),
            new JsonArray([.. rewardPercentiles.Select(p => (JsonNode)JsonValue.Create(p))])).ConfigureAwait(false);
        return RpcParsing.FeeHistory(result);
    }

    /// <summary>eth_sendRawTransaction; returns the hash the node reports.</summary>
    public async Task<Hash32> SendRawTransactionAsync(ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default) =>
        Quantity.ParseHash(await SendAsync("eth_sendRawTransaction", cancellationToken, Hex.Encode(raw.Span)).ConfigureAwait(false), "eth_sendRawTransaction");

    /// <summary>eth_getTransactionReceipt; null while the transaction is not mined (or unknown).</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(Hash32 transaction, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("eth_getTransactionReceipt", cancellationToken, transaction.ToString()).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Null ? null : RpcParsing.Receipt(result);
    }

    /// <summary>eth_getTransactionByHash; null when the node does not know it.</summary>
    public async Task<TransactionInfo?> GetTransactionAsync(Hash32 transaction, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("eth_getTransactionByHash", cancellationToken, transaction.ToString()).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Null ? null : RpcParsing.Transaction(result);
    }

    /// <summary>Sends any method (for calls this client does not wrap) and returns its result.</summary>
    public async Task<JsonElement> SendAsync(string method, CancellationToken cancellationToken, params JsonNode?[] parameters)
    {
        var response = await _transport.SendAsync(JsonRpcRequest.Create(method, parameters), cancellationToken).ConfigureAwait(false);
        return response.GetResultOrThrow(method);
    }
}
