using System.Text.Json;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Aggregator.Cli.Internal;

/// <summary>
/// Strict access to one JSON object: every property must be known, integers are JSON integers or strings of decimal
/// digits (big numbers as strings), and every error names the field's path.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _element;
    private readonly string _path;

    public JsonFields(JsonElement element, string path, params string[] known)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonInputException(path.Length == 0 ? "input" : path, $"expected an object, got {element.ValueKind}");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new JsonInputException(Child(path, property.Name), $"unknown property (expected one of: {string.Join(", ", known)})");
            }
        }

        _element = element;
        _path = path;
    }

    public string PathOf(string name) => Child(_path, name);

    public bool Has(string name) => _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement Required(string name) =>
        _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw new JsonInputException(PathOf(name), "is required");

    public ulong UInt64(string name, ulong fallback) => Has(name) ? Parse(name, DecimalUInt64) : fallback;

    public ulong UInt64(string name) => Parse(name, DecimalUInt64);

    public uint UInt32(string name, uint fallback) =>
        Has(name) ? Parse(name, t => uint.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException(t.Length > 0 && t.All(char.IsAsciiDigit)
                ? $"must be at most {uint.MaxValue}, got {t}"
                : $"must be an unsigned integer (digits only), got '{t}'")) : fallback;

    public Wad Wad(string name, Wad fallback) => Has(name) ? Parse(name, SupplyOracle.Rules.Domain.Wad.Parse) : fallback;

    public Wad Wad(string name) => Parse(name, SupplyOracle.Rules.Domain.Wad.Parse);

    public TokenAmount Amount(string name, TokenAmount fallback) => Has(name) ? Parse(name, TokenAmount.Parse) : fallback;

    public TokenAmount Amount(string name) => Parse(name, TokenAmount.Parse);

    public bool Bool(string name, bool fallback)
    {
        if (!Has(name))
        {
            return fallback;
        }

        var value = Required(name);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new JsonInputException(PathOf(name), $"expected true or false, got {value.ValueKind}"),
        };
    }

    public Address Address(string name) => Parse(PathOf(name), Required(name), AddressText, Contracts.Bindings.Primitives.Address.Parse);

    public Hash32 Hash(string name, Hash32 fallback) => Has(name) ? Parse(PathOf(name), Required(name), AddressText, Hash32.Parse) : fallback;

    public IEnumerable<(JsonElement Item, string Path)> Array(string name, bool required)
    {
        if (!Has(name))
        {
            return required ? throw new JsonInputException(PathOf(name), "is required") : [];
        }

        var value = Required(name);
        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select((item, i) => (item, $"{PathOf(name)}[{i}]")).ToArray()
            : throw new JsonInputException(PathOf(name), $"expected an array, got {value.ValueKind}");
    }

    public static Address AddressAt(JsonElement element, string path) =>
        Parse(path, element, AddressText, Contracts.Bindings.Primitives.Address.Parse);

    private T Parse<T>(string name, Func<string, T> parse) => Parse(PathOf(name), Required(name), e => Integer(name, e), parse);

    private static T Parse<T>(string path, JsonElement element, Func<JsonElement, string> text, Func<string, T> parse)
    {
        try
        {
            return parse(text(element));
        }
        catch (FormatException ex)
        {
            throw new JsonInputException(path, ex.Message);
        }
        catch (ArgumentException ex)
        {
            throw new JsonInputException(path, ex.Message);
        }
    }

    // Integers: a JSON string of digits, or a JSON number written as a plain integer (no sign, fraction or exponent).
    private string Integer(string name, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        _ => throw new JsonInputException(PathOf(name), $"expected an unsigned integer (a string of digits), got {element.ValueKind}"),
    };

    private static string AddressText(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new FormatException($"expected a 0x-hex string, got {element.ValueKind}");

    private static ulong DecimalUInt64(string text) =>
        text.Length > 0 && text.All(char.IsAsciiDigit) && ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FormatException(text.Length > 0 && text.All(char.IsAsciiDigit)
                ? $"must be at most {ulong.MaxValue}, got {text}"
                : $"must be an unsigned integer (digits only), got '{text}'");

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
