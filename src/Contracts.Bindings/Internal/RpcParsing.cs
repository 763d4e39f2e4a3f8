using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Internal;

/// <summary>Strict parsing of execution-API result objects (missing or malformed fields are transport errors).</summary>
internal static class RpcParsing
{
    internal static JsonObject ToJson(CallRequest call)
    {
        var json = new JsonObject();
        if (call.From is { } from) json["from"] = from.ToString();
        if (call.To is { } to) json["to"] = to.ToString();
        if (call.Gas is { } gas) json["gas"] = Quantity.Encode(gas);
        if (call.Value is { } value) json["value"] = Quantity.Encode(value.Value);
        json["data"] = Hex.Encode(call.Data.Span);
        json["input"] = Hex.Encode(call.Data.Span);
        return json;
    }

    internal static Block Block(JsonElement e)
    {
        const string what = "block";
        var txs = Quantity.Property(e, "transactions", what);
        var baseFee = e.TryGetProperty("baseFeePerGas", out var bf) && bf.ValueKind == JsonValueKind.String ? new Wei(Quantity.ParseBig(bf, what)) : (Wei?)null;
        return new Block(
            Quantity.ParseUInt64(Quantity.Property(e, "number", what), "block.number"),
            Quantity.ParseHash(Quantity.Property(e, "hash", what), "block.hash"),
            Quantity.ParseHash(Quantity.Property(e, "parentHash", what), "block.parentHash"),
            Quantity.ParseUInt64(Quantity.Property(e, "timestamp", what), "block.timestamp"),
            baseFee,
            Quantity.ParseUInt64(Quantity.Property(e, "gasLimit", what), "block.gasLimit"),
            txs.ValueKind == JsonValueKind.Array
                ? [.. txs.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.String
                    ? Quantity.ParseHash(t, "block.transactions")
                    : Quantity.ParseHash(Quantity.Property(t, "hash", what), "block.transactions"))]
                : throw Quantity.Unexpected("block.transactions", txs));
    }

    internal static LogEntry Log(JsonElement e)
    {
        const string what = "log";
        var topics = Quantity.Property(e, "topics", what);
        return new LogEntry(
            Quantity.ParseAddress(Quantity.Property(e, "address", what), "log.address"),
            topics.ValueKind == JsonValueKind.Array ? [.. topics.EnumerateArray().Select(t => Quantity.ParseHash(t, "log.topics"))] : throw Quantity.Unexpected("log.topics", topics),
            Quantity.ParseData(Quantity.Property(e, "data", what), "log.data"),
            Quantity.ParseUInt64(Quantity.Property(e, "blockNumber", what), "log.blockNumber"),
            Quantity.ParseHash(Quantity.Property(e, "blockHash", what), "log.blockHash"),
            Quantity.ParseHash(Quantity.Property(e, "transactionHash", what), "log.transactionHash"),
            Quantity.ParseUInt64(Quantity.Property(e, "logIndex", what), "log.logIndex"),
            e.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True);
    }

    internal static TransactionReceipt Receipt(JsonElement e)
    {
        const string what = "receipt";
        var contract = e.TryGetProperty("contractAddress", out var c) && c.ValueKind == JsonValueKind.String
            ? Quantity.ParseAddress(c, "receipt.contractAddress")
            : (Address?)null;
        var logs = Quantity.Property(e, "logs", what);
        var status = Quantity.ParseUInt64(Quantity.Property(e, "status", what), "receipt.status");
        return new TransactionReceipt(
            Quantity.ParseHash(Quantity.Property(e, "transactionHash", what), "receipt.transactionHash"),
            Quantity.ParseUInt64(Quantity.Property(e, "blockNumber", what), "receipt.blockNumber"),
            Quantity.ParseHash(Quantity.Property(e, "blockHash", what), "receipt.blockHash"),
            status switch { 1 => true, 0 => false, _ => throw Quantity.Unexpected("receipt.status", Quantity.Property(e, "status", what)) },
            Quantity.ParseUInt64(Quantity.Property(e, "gasUsed", what), "receipt.gasUsed"),
            new Wei(Quantity.ParseBig(Quantity.Property(e, "effectiveGasPrice", what), "receipt.effectiveGasPrice")),
            contract,
            logs.ValueKind == JsonValueKind.Array ? [.. logs.EnumerateArray().Select(Log)] : throw Quantity.Unexpected("receipt.logs", logs));
    }

    internal static TransactionInfo Transaction(JsonElement e)
    {
        const string what = "transaction";
        var blockNumber = e.TryGetProperty("blockNumber", out var bn) && bn.ValueKind == JsonValueKind.String ? Quantity.ParseUInt64(bn, "tx.blockNumber") : (ulong?)null;
        var blockHash = e.TryGetProperty("blockHash", out var bh) && bh.ValueKind == JsonValueKind.String ? Quantity.ParseHash(bh, "tx.blockHash") : (Hash32?)null;
        return new TransactionInfo(
            Quantity.ParseHash(Quantity.Property(e, "hash", what), "tx.hash"),
            Quantity.ParseAddress(Quantity.Property(e, "from", what), "tx.from"),
            Quantity.ParseUInt64(Quantity.Property(e, "nonce", what), "tx.nonce"),
            blockNumber,
            blockHash);
    }

    internal static FeeHistory FeeHistory(JsonElement e)
    {
        const string what = "feeHistory";
        var baseFees = Quantity.Property(e, "baseFeePerGas", what);
        var ratios = Quantity.Property(e, "gasUsedRatio", what);
        IReadOnlyList<IReadOnlyList<Wei>> rewards = e.TryGetProperty("reward", out var r) && r.ValueKind == JsonValueKind.Array
            ? [.. r.EnumerateArray().Select(block => (IReadOnlyList<Wei>)[.. block.EnumerateArray().Select(x => new Wei(Quantity.ParseBig(x, "feeHistory.reward")))])]
            : [];
        return new FeeHistory(
            Quantity.ParseUInt64(Quantity.Property(e, "oldestBlock", what), "feeHistory.oldestBlock"),
            [.. baseFees.EnumerateArray().Select(x => new Wei(Quantity.ParseBig(x, "feeHistory.baseFeePerGas")))],
            [.. ratios.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Number ? x.GetDouble() : throw Quantity.Unexpected("feeHistory.gasUsedRatio", x))],
            rewards);
    }
}
