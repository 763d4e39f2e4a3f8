using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Newtonsoft.Json.Linq;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using NethereumReceipt = Nethereum.RPC.Eth.DTOs.TransactionReceipt;

namespace SupplyOracle.Contracts.Bindings.Internal;

/// <summary>
/// The one boundary between Nethereum's representations (hex strings, <see cref="HexBigInteger"/>, byte arrays,
/// DTOs) and our value types (<see cref="Address"/>, <see cref="Hash32"/>, <see cref="Wei"/>, <see cref="Signature"/>).
/// A value that does not fit its type is a <see cref="JsonRpcTransportException"/> (<see cref="JsonRpcTransportFailure.UnexpectedResult"/>).
/// </summary>
internal static class NethereumConvert
{
    // Nethereum's r ‖ s ‖ v string pads r and s to 32 bytes (v is 27/28 from SignAndCalculateV).
    internal static Signature ToSignature(EthECDSASignature signature) => Signature.Parse(EthECDSASignature.CreateStringSignature(signature));

    internal static EthECDSASignature ToEthSignature(Signature signature) =>
        EthECDSASignatureFactory.FromComponents(signature.R.ToArray(), signature.S.ToArray(), signature.V);

    internal static CallInput ToCallInput(CallRequest call) => new()
    {
        To = call.To?.ToString(),
        From = call.From?.ToString(),
        Data = Hex.Encode(call.Data.Span),
        Value = call.Value is { } v ? new HexBigInteger(v.Value) : null,
        Gas = call.Gas is { } g ? new HexBigInteger(g) : null,
    };

    internal static JsonRpc.Block ToBlock(BlockWithTransactionHashes b, string what) => new(
        UInt64(b.Number, what), Hash(b.BlockHash, what), Hash(b.ParentHash, what), UInt64(b.Timestamp, what),
        b.BaseFeePerGas is { } fee ? new Wei(Big(fee, what)) : null, UInt64(b.GasLimit, what),
        [.. (b.TransactionHashes ?? []).Select(h => Hash(h, what))]);

    internal static LogEntry ToLog(FilterLog log, string what) => new(
        AddressOf(log.Address, what), [.. (log.Topics ?? []).Select(t => Hash(Convert.ToString(t, CultureInfo.InvariantCulture), what))],
        Data(log.Data, what), UInt64(log.BlockNumber, what), Hash(log.BlockHash, what), Hash(log.TransactionHash, what),
        UInt64(log.LogIndex, what), log.Removed);

    internal static JsonRpc.TransactionReceipt ToReceipt(NethereumReceipt r, string what) => new(
        Hash(r.TransactionHash, what), UInt64(r.BlockNumber, what), Hash(r.BlockHash, what), r.Status is { } status && Big(status, what) == 1, UInt64(r.GasUsed, what),
        new Wei(r.EffectiveGasPrice is { } price ? Big(price, what) : 0), string.IsNullOrEmpty(r.ContractAddress) ? null : AddressOf(r.ContractAddress, what),
        [.. (r.Logs ?? []).Select(l => ToLog(l, what))]);

    internal static TransactionInfo ToTransaction(Transaction t, string what) => new(
        Hash(t.TransactionHash, what), AddressOf(t.From, what), UInt64(t.Nonce, what),
        t.BlockNumber is { } n ? UInt64(n, what) : null, string.IsNullOrEmpty(t.BlockHash) ? null : Hash(t.BlockHash, what));

    internal static FeeHistory ToFeeHistory(FeeHistoryResult f, string what) => new(
        UInt64(f.OldestBlock, what), [.. (f.BaseFeePerGas ?? []).Select(b => new Wei(Big(b, what)))], [.. (f.GasUsedRatio ?? []).Select(r => (double)r)],
        [.. (f.Reward ?? []).Select(row => (IReadOnlyList<Wei>)[.. row.Select(x => new Wei(Big(x, what)))])]);

    internal static ulong UInt64(HexBigInteger? value, string what) =>
        Big(value, what) is var v && v >= 0 && v <= ulong.MaxValue ? (ulong)v : throw Unexpected(what, $"not a 64-bit quantity: {value?.HexValue}");

    internal static Hash32 Hash(string? hex, string what) =>
        hex is not null && hex.Length == 66 && Hex.TryDecode(hex, out var bytes) ? new Hash32(bytes) : throw Unexpected(what, $"not a 32-byte hash: '{hex}'");

    internal static Address AddressOf(string? hex, string what) =>
        Address.TryParse(hex, out var address) ? address : throw Unexpected(what, $"not an address: '{hex}'");

    internal static byte[] Data(string? hex, string what) =>
        hex is not null && Hex.TryDecode(hex, out var bytes) ? bytes : throw Unexpected(what, $"not hex data: '{hex}'");

    /// <summary>Compact JSON text of a value Nethereum deserialised (Newtonsoft token, System.Text.Json element, string).</summary>
    internal static string Json(object? value) => value switch
    {
        null => "null",
        JToken token => token.ToString(Newtonsoft.Json.Formatting.None),
        JsonElement element => element.GetRawText(),
        string text => JsonSerializer.Serialize(text),
        _ => Newtonsoft.Json.JsonConvert.SerializeObject(value),
    };

    // geth, anvil and erigon put the revert data in "data" as a hex string; some providers nest it as {"data": "0x.."}.
    internal static byte[]? RevertData(object? data)
    {
        var text = data switch
        {
            string s => s,
            JValue { Type: JTokenType.String } v => (string?)v,
            JObject o when o["data"] is JValue { Type: JTokenType.String } inner => (string?)inner,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Object } e when e.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String => d.GetString(),
            _ => null,
        };
        return text is not null && Hex.TryDecode(text, out var bytes) ? bytes : null;
    }

    internal static JsonRpcTransportException Unexpected(string what, string message) =>
        new(JsonRpcTransportFailure.UnexpectedResult, what, message);

    // HexBigInteger decodes its hex lazily: a malformed quantity surfaces on first access.
    internal static BigInteger Big(HexBigInteger? value, string what)
    {
        try
        {
            return value?.Value ?? throw Unexpected(what, "a missing quantity");
        }
        catch (FormatException ex)
        {
            throw new JsonRpcTransportException(JsonRpcTransportFailure.UnexpectedResult, what, $"not a quantity: '{value?.HexValue}'", ex);
        }
    }
}
