using System.Security.Cryptography;
using System.Text;

namespace SupplyOracle.BindingsGenerator;

/// <summary>
/// How an ABI type appears in C#: the public type of the façade (our value types), the property type of the Nethereum
/// DTO (Nethereum's default decoding types: <c>BigInteger</c>, <c>string</c> addresses, <c>byte[]</c>, <c>List&lt;T&gt;</c>,
/// struct DTOs), and expressions converting between the two.
/// </summary>
internal sealed class TypeMapping
{
    /// <summary>Struct name → its parameter (components), collected while mapping (named from Solidity's internalType).</summary>
    public Dictionary<string, AbiParam> Structs { get; } = new(StringComparer.Ordinal);

    public string CSharpType(AbiParam p) => p switch
    {
        { IsArray: true } => $"IReadOnlyList<{CSharpType(p.Element)}>",
        { Type: var t } when t.StartsWith("tuple", StringComparison.Ordinal) => StructName(p),
        { Type: var t } when t.StartsWith("uint", StringComparison.Ordinal) => Bits(t, 4) <= 64 ? "ulong" : "BigInteger",
        { Type: var t } when t.StartsWith("int", StringComparison.Ordinal) => Bits(t, 3) <= 64 ? "long" : "BigInteger",
        { Type: "address" } => "Address",
        { Type: "bool" } => "bool",
        { Type: "bytes32" } => "Hash32",
        { Type: "string" } => "string",
        { Type: var t } when t.StartsWith("bytes", StringComparison.Ordinal) => "byte[]",
        _ => throw new NotSupportedException($"ABI type {p.Type}"),
    };

    /// <summary>The property type of the Nethereum DTO.</summary>
    public string DtoType(AbiParam p) => p switch
    {
        { IsArray: true } => $"List<{DtoType(p.Element)}>",
        { Type: var t } when t.StartsWith("tuple", StringComparison.Ordinal) => StructName(p) + "DTO",
        { Type: var t } when t.StartsWith("uint", StringComparison.Ordinal) || t.StartsWith("int", StringComparison.Ordinal) => "BigInteger",
        { Type: "address" or "string" } => "string",
        { Type: "bool" } => "bool",
        { Type: var t } when t.StartsWith("bytes", StringComparison.Ordinal) => "byte[]",
        _ => throw new NotSupportedException($"ABI type {p.Type}"),
    };

    /// <summary>The DTO property's initialiser (reference types start non-null).</summary>
    public string DtoDefault(AbiParam p) => DtoType(p) switch
    {
        "BigInteger" or "bool" => "",
        "string" => " = \"\";",
        "byte[]" => " = [];",
        var t when t.StartsWith("List<", StringComparison.Ordinal) => " = [];",
        _ => " = new();",
    };

    /// <summary>An expression giving the DTO value of façade value <paramref name="expr"/>.</summary>
    public string ToDto(AbiParam p, string expr, int depth = 0) => CSharpType(p) switch
    {
        _ when p.IsArray => $"{expr}.Select(e{depth} => {ToDto(p.Element, $"e{depth}", depth + 1)}).ToList()",
        "ulong" or "long" => $"(BigInteger){expr}",
        "Address" => $"{expr}.ToString()",
        "Hash32" => $"{expr}.ToArray()",
        "BigInteger" or "bool" or "string" or "byte[]" => expr,
        _ => $"{expr}.ToDto()",
    };

    /// <summary>An expression converting DTO value <paramref name="expr"/> to the façade type.</summary>
    public string FromDto(AbiParam p, string expr, int depth = 0) => CSharpType(p) switch
    {
        _ when p.IsArray => $"{expr}.Select(e{depth} => {FromDto(p.Element, $"e{depth}", depth + 1)}).ToList()",
        "ulong" => $"(ulong){expr}",
        "long" => $"(long){expr}",
        "Address" => $"Address.Parse({expr})",
        "Hash32" => $"new Hash32({expr})",
        "BigInteger" or "bool" or "string" or "byte[]" => expr,
        var name => $"{name}.FromDto({expr})",
    };

    private static int Bits(string type, int prefix) => type.Length == prefix ? 256 : int.Parse(type[prefix..], System.Globalization.CultureInfo.InvariantCulture);

    private string StructName(AbiParam tuple)
    {
        var element = tuple;
        while (element.IsArray)
        {
            element = element.Element;
        }

        // internalType "struct BindingsProbe.Pair" (or "struct Pair[]" for arrays) names the struct; else a stable fallback.
        var name = element.InternalType is { } it && it.StartsWith("struct ", StringComparison.Ordinal)
            ? it[7..].Split('[')[0].Split('.')[^1]
            : "Tuple" + Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(element.Canonical))[..4]);
        Structs.TryAdd(name, element);
        return name;
    }

    public static string Pascal(string name, string fallback)
    {
        var n = name.TrimStart('_');
        return n.Length == 0 ? fallback : char.ToUpperInvariant(n[0]) + n[1..];
    }

    public static string Camel(string name, string fallback)
    {
        var n = name.TrimStart('_');
        var camel = n.Length == 0 ? fallback : char.ToLowerInvariant(n[0]) + n[1..];
        return Keywords.Contains(camel) ? "@" + camel : camel;
    }

    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue", "decimal", "default",
        "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto",
        "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out",
        "override", "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc",
        "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while", "block", "cancellationToken", "sender",
    ];
}
