using System.Globalization;
using System.Numerics;
using System.Text.Json;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Internal;

/// <summary>JSON-RPC value encodings (Ethereum execution API "quantity" and "data"), parsed strictly.</summary>
internal static class Quantity
{
    internal static string Encode(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    internal static string Encode(BigInteger value) =>
        value.IsZero ? "0x0" : "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');

    internal static BigInteger ParseBig(JsonElement element, string what)
    {
        var text = element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Unexpected(what, element);
        if (text.Length < 3 || !text.StartsWith("0x", StringComparison.Ordinal) || text.Length > 66
            || !BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw Unexpected(what, element);
        }

        return value;
    }

    internal static ulong ParseUInt64(JsonElement element, string what)
    {
        var value = ParseBig(element, what);
        return value <= ulong.MaxValue ? (ulong)value : throw Unexpected(what, element);
    }

    internal static byte[] ParseData(JsonElement element, string what)
    {
        try
        {
            return element.ValueKind == JsonValueKind.String ? Hex.Decode(element.GetString()!) : throw Unexpected(what, element);
        }
        catch (FormatException)
        {
            throw Unexpected(what, element);
        }
    }

    internal static Hash32 ParseHash(JsonElement element, string what)
    {
        var bytes = ParseData(element, what);
        return bytes.Length == 32 ? new Hash32(bytes) : throw Unexpected(what, element);
    }

    internal static Address ParseAddress(JsonElement element, string what)
    {
        var bytes = ParseData(element, what);
        return bytes.Length == 20 ? new Address(bytes) : throw Unexpected(what, element);
    }

    internal static JsonElement Property(JsonElement element, string name, string what) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new JsonRpcTransportException(JsonRpcTransportFailure.UnexpectedResult, "result", $"{what}: missing field '{name}'");

    internal static JsonRpcTransportException Unexpected(string what, JsonElement element)
    {
        var raw = element.ValueKind == JsonValueKind.Undefined ? "(none)" : element.GetRawText();
        return new JsonRpcTransportException(JsonRpcTransportFailure.UnexpectedResult, "result",
            $"{what}: unexpected value {(raw.Length > 80 ? raw[..77] + "..." : raw)}");
    }
}
