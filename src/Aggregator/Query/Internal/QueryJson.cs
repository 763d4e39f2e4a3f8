using System.Text.Json;
using System.Text.Json.Serialization;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Aggregator.Query.Internal;

/// <summary>
/// The JSON API's serializer settings (README "Aggregator query API"): snake_case field names, addresses in EIP-55
/// checksum form, factors (WAD) and circulating supplies as decimal strings (they exceed 2^53, where JSON numbers
/// stop being exact in JavaScript), enums as their names, nulls written out.
/// </summary>
internal static class QueryJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        };
        options.Converters.Add(new AddressConverter());
        options.Converters.Add(new WadConverter());
        options.Converters.Add(new TokenAmountConverter());
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class AddressConverter : JsonConverter<Address>
    {
        public override Address Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Address.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, Address value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToChecksumString());
    }

    private sealed class WadConverter : JsonConverter<Wad>
    {
        public override Wad Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Wad.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, Wad value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class TokenAmountConverter : JsonConverter<TokenAmount>
    {
        public override TokenAmount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => TokenAmount.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, TokenAmount value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
