using System.Globalization;
using System.Text.Json;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;
using Nethereum.RPC;
using Nethereum.RPC.Eth;
using Nethereum.RPC.Eth.DTOs;
using Newtonsoft.Json.Linq;
using SupplyOracle.Contracts.Bindings.Internal;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>
/// Typed Ethereum JSON-RPC (the execution API, EIP-1474) over a Nethereum <see cref="IClient"/> (one
/// <see cref="RpcEndpointClient"/> or a <see cref="MultiEndpointClient"/>): Nethereum's request handlers
/// (<see cref="EthApiService"/>) do the calls, and this class converts their DTOs to our value types in one place. State
/// reads take a block number, a tag or a hash (EIP-1898, which Nethereum's block parameter lacks). A node error is a
/// <see cref="JsonRpcException"/> (with revert data); an answer of the wrong shape is a <see cref="JsonRpcTransportException"/>.
/// </summary>
public sealed partial class EthereumRpcClient
{
    private readonly IClient _client;
    private readonly EthApiService _eth;
    private long _nextId;

    /// <summary>Creates a client over a Nethereum client (one endpoint or a multi-endpoint policy).</summary>
    public EthereumRpcClient(IClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _eth = new EthApiService(client);
    }

    /// <summary>A client of one HTTP endpoint (<see cref="RpcEndpointClient"/>).</summary>
    public static EthereumRpcClient Connect(Uri endpoint, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null) =>
        new(new RpcEndpointClient(endpoint, handler, timeProvider));

    /// <summary>The Nethereum client requests go through.</summary>
    public IClient Client => _client;

    /// <summary>eth_chainId.</summary>
    public async Task<ulong> ChainIdAsync(CancellationToken cancellationToken = default) =>
        NethereumConvert.UInt64(await RunAsync("eth_chainId", () => _eth.ChainId.SendRequestAsync(), cancellationToken).ConfigureAwait(false), "eth_chainId");

    /// <summary>eth_blockNumber.</summary>
    public async Task<ulong> BlockNumberAsync(CancellationToken cancellationToken = default) =>
        NethereumConvert.UInt64(await RunAsync("eth_blockNumber", () => _eth.Blocks.GetBlockNumber.SendRequestAsync(), cancellationToken).ConfigureAwait(false),
            "eth_blockNumber");

    /// <summary>eth_getBlockByNumber / eth_getBlockByHash (transaction hashes only); null when the node has no such block.</summary>
    public async Task<Block?> GetBlockAsync(BlockId block, CancellationToken cancellationToken = default)
    {
        var method = block.Hash is null ? "eth_getBlockByNumber" : "eth_getBlockByHash";
        var result = await RunAsync(method, () => block.Hash is { } hash
            ? _eth.Blocks.GetBlockWithTransactionsHashesByHash.SendRequestAsync(hash.ToString())
            : _eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(block.ToBlockParameter()), cancellationToken).ConfigureAwait(false);
        return result is null ? null : NethereumConvert.ToBlock(result, method);
    }

    /// <summary>eth_getBalance.</summary>
    public async Task<Wei> GetBalanceAsync(Address account, BlockId block, CancellationToken cancellationToken = default) =>
        new(NethereumConvert.Big(await StateAsync<HexBigInteger>("eth_getBalance", block, cancellationToken, account.ToString()).ConfigureAwait(false), "eth_getBalance"));

    /// <summary>eth_getTransactionCount (use <see cref="BlockId.Pending"/> for the next nonce).</summary>
    public async Task<ulong> GetTransactionCountAsync(Address account, BlockId block, CancellationToken cancellationToken = default) =>
        NethereumConvert.UInt64(await StateAsync<HexBigInteger>("eth_getTransactionCount", block, cancellationToken, account.ToString()).ConfigureAwait(false),
            "eth_getTransactionCount");

    /// <summary>eth_getCode.</summary>
    public async Task<byte[]> GetCodeAsync(Address account, BlockId block, CancellationToken cancellationToken = default) =>
        NethereumConvert.Data(await StateAsync<string>("eth_getCode", block, cancellationToken, account.ToString()).ConfigureAwait(false), "eth_getCode");

    /// <summary>eth_call at a block; a revert throws <see cref="JsonRpcException"/> with <see cref="JsonRpcException.RevertData"/>.</summary>
    public async Task<byte[]> CallAsync(CallRequest call, BlockId block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return NethereumConvert.Data(await StateAsync<string>("eth_call", block, cancellationToken, NethereumConvert.ToCallInput(call)).ConfigureAwait(false), "eth_call");
    }

    /// <summary>
    /// Many eth_calls at one block in one JSON-RPC batch round trip; each result is return data or its own error, so
    /// one revert does not hide the other answers.
    /// </summary>
    public async Task<IReadOnlyList<CallResult>> CallBatchAsync(IReadOnlyList<CallRequest> calls, BlockId block, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calls);
        if (calls.Count == 0)
        {
            return [];
        }

        var responses = await BatchAsync([.. calls.Select(c => Request("eth_call", NethereumConvert.ToCallInput(c), block.ToRpcParameter()))], cancellationToken)
            .ConfigureAwait(false);
        return [.. responses.Select(CallResultOf)];
    }

    /// <summary>
    /// One round trip: the header of <paramref name="block"/> (eth_getBlockByNumber or eth_getBlockByHash) and
    /// <paramref name="call"/> at that block, in one batch. The block is null when the node does not know it.
    /// </summary>
    public async Task<(Block? Block, CallResult Call)> GetBlockAndCallAsync(BlockId block, CallRequest call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var method = block.Hash is null ? "eth_getBlockByNumber" : "eth_getBlockByHash";
        var header = Request(method, block.Hash is { } h ? h.ToString() : block.ToBlockParameter(), false);
        var responses = await BatchAsync([header, Request("eth_call", NethereumConvert.ToCallInput(call), block.ToRpcParameter())], cancellationToken)
            .ConfigureAwait(false);
        if (responses[0].Error is { } e)
        {
            throw new JsonRpcException(method, e.Code, e.Message, e.Data);
        }

        var found = Decode<BlockWithTransactionHashes?>(responses[0], method);
        return (found is null ? null : NethereumConvert.ToBlock(found, method), CallResultOf(responses[1]));
    }

    /// <summary>eth_estimateGas; a revert throws <see cref="JsonRpcException"/> with revert data.</summary>
    public async Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return NethereumConvert.UInt64(await RunAsync("eth_estimateGas", () => _eth.Transactions.EstimateGas.SendRequestAsync(NethereumConvert.ToCallInput(call)),
            cancellationToken).ConfigureAwait(false), "eth_estimateGas");
    }

    /// <summary>eth_maxPriorityFeePerGas: the node's tip suggestion.</summary>
    public async Task<Wei> MaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        new(NethereumConvert.Big(await RunAsync("eth_maxPriorityFeePerGas", () => new EthMaxPriorityFeePerGas(_client).SendRequestAsync(), cancellationToken)
            .ConfigureAwait(false), "eth_maxPriorityFeePerGas"));

    /// <summary>eth_feeHistory over the last <paramref name="blockCount"/> blocks up to <paramref name="newest"/> (a number or a tag).</summary>
    public async Task<FeeHistory> FeeHistoryAsync(int blockCount, BlockId newest, IReadOnlyList<double> rewardPercentiles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewardPercentiles);
        var result = await RunAsync("eth_feeHistory", () => _eth.FeeHistory.SendRequestAsync(new HexBigInteger(blockCount), newest.ToBlockParameter(),
            [.. rewardPercentiles.Select(p => (decimal)p)]), cancellationToken).ConfigureAwait(false);
        return NethereumConvert.ToFeeHistory(result ?? throw NethereumConvert.Unexpected("eth_feeHistory", "a null result"), "eth_feeHistory");
    }

    /// <summary>eth_sendRawTransaction; returns the hash the node reports.</summary>
    public async Task<Hash32> SendRawTransactionAsync(ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default) =>
        NethereumConvert.Hash(await RunAsync("eth_sendRawTransaction", () => _eth.Transactions.SendRawTransaction.SendRequestAsync(Hex.Encode(raw.Span)),
            cancellationToken).ConfigureAwait(false), "eth_sendRawTransaction");

    /// <summary>eth_getTransactionReceipt; null while the transaction is not mined (or unknown).</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(Hash32 transaction, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync("eth_getTransactionReceipt", () => _eth.Transactions.GetTransactionReceipt.SendRequestAsync(transaction.ToString()),
            cancellationToken).ConfigureAwait(false);
        return result is null ? null : NethereumConvert.ToReceipt(result, "eth_getTransactionReceipt");
    }

    /// <summary>eth_getTransactionByHash; null when the node does not know it.</summary>
    public async Task<TransactionInfo?> GetTransactionAsync(Hash32 transaction, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync("eth_getTransactionByHash", () => _eth.Transactions.GetTransactionByHash.SendRequestAsync(transaction.ToString()),
            cancellationToken).ConfigureAwait(false);
        return result is null ? null : NethereumConvert.ToTransaction(result, "eth_getTransactionByHash");
    }

    /// <summary>Sends any method (node-specific calls such as anvil's) and returns its result as JSON.</summary>
    public async Task<JsonElement> SendAsync(string method, CancellationToken cancellationToken, params object?[] parameters)
    {
        var token = await RunAsync(method, () => _client.SendRequestAsync<JToken?>(Request(method, parameters)), cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(token?.ToString(Newtonsoft.Json.Formatting.None) ?? "null");
        return document.RootElement.Clone();
    }

    private RpcRequest Request(string method, params object?[] parameters) =>
        new(Interlocked.Increment(ref _nextId), method, parameters);

    private Task<T> StateAsync<T>(string method, BlockId block, CancellationToken cancellationToken, object first) =>
        RunAsync(method, () => _client.SendRequestAsync<T>(Request(method, first, block.ToRpcParameter())), cancellationToken);

    private async Task<RpcResponseMessage[]> BatchAsync(RpcRequest[] requests, CancellationToken cancellationToken)
    {
        var messages = requests.Select(r => new RpcRequestMessage(r.Id, r.Method, r.RawParameters)).ToArray();
        var responses = await DelegatingRpcClient.SendRawBatchAsync(_client, messages).WaitAsync(cancellationToken).ConfigureAwait(false);
        var byId = responses.ToDictionary(r => Convert.ToString(r.Id, CultureInfo.InvariantCulture)!);
        return [.. messages.Select(m => byId.TryGetValue(Convert.ToString(m.Id, CultureInfo.InvariantCulture)!, out var r)
            ? r
            : throw new JsonRpcTransportException(JsonRpcTransportFailure.MalformedResponse, "batch", $"the batch reply lacks the answer to {m.Method}"))];
    }

    private CallResult CallResultOf(RpcResponseMessage response) => response.Error is { } e
        ? new CallResult(null, new JsonRpcException("eth_call", e.Code, e.Message, e.Data))
        : new CallResult(NethereumConvert.Data(Decode<string>(response, "eth_call"), "eth_call"), null);

    private T Decode<T>(RpcResponseMessage response, string method)
    {
        try
        {
            return _client.DecodeResult<T>(response);
        }
        catch (Exception ex) when (ex is FormatException or Newtonsoft.Json.JsonException or InvalidCastException || ex.GetType() == typeof(Exception))
        {
            throw new JsonRpcTransportException(JsonRpcTransportFailure.UnexpectedResult, method, $"{method}: the result does not have the expected shape", ex);
        }
    }

    // Nethereum's requests take no CancellationToken (its RpcClient has its own timeout): the caller stops waiting on
    // cancellation. Node errors become JsonRpcException; an undecodable result is UnexpectedResult.
    private static async Task<T> RunAsync<T>(string method, Func<Task<T>> send, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await send().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcResponseException ex)
        {
            throw new JsonRpcException(method, ex.RpcError.Code, StripMethod(ex.RpcError.Message, method), ex.RpcError.Data);
        }
        catch (Exception ex) when (ex is RpcResponseFormatException or FormatException)
        {
            throw new JsonRpcTransportException(JsonRpcTransportFailure.UnexpectedResult, method, $"{method}: {ex.Message}", ex);
        }
    }

    // Nethereum appends ": method" to the node's message; the method is a field of its own here.
    private static string StripMethod(string message, string method) =>
        message.EndsWith(": " + method, StringComparison.Ordinal) ? message[..^(method.Length + 2)] : message;
}
