using System.Text;
using SupplyOracle.Contracts.Bindings.Abi;

namespace SupplyOracle.BindingsGenerator;

/// <summary>How an ABI type appears in C#: its type, and expressions converting to and from the ABI codec's values.</summary>
internal sealed class TypeMapping(Dictionary<string, AbiTupleType> structs)
{
    /// <summary>Struct name → tuple type, collected while mapping (named from Solidity's internalType).</summary>
    public Dictionary<string, AbiTupleType> Structs { get; } = structs;

    public string CSharpType(AbiParameter p) => CSharpType(p.Type, p.InternalType);

    public string CSharpType(AbiType type, string? internalType) => type switch
    {
        AbiUIntType { Bits: <= 64 } => "ulong",
        AbiIntType { Bits: <= 64 } => "long",
        AbiUIntType or AbiIntType => "BigInteger",
        AbiAddressType => "Address",
        AbiBoolType => "bool",
        AbiFixedBytesType { Size: 32 } => "Hash32",
        AbiFixedBytesType or AbiBytesType => "byte[]",
        AbiStringType => "string",
        AbiArrayType a => $"IReadOnlyList<{CSharpType(a.Element, ElementInternalType(internalType))}>",
        AbiTupleType t => StructName(t, internalType),
        _ => throw new NotSupportedException($"ABI type {type}"),
    };

    /// <summary>An expression giving the codec value of <paramref name="expr"/>.</summary>
    public string ToAbi(AbiType type, string? internalType, string expr) => type switch
    {
        AbiFixedBytesType { Size: 32 } => $"(object){expr}.ToArray()",
        AbiArrayType a => $"(object)(IReadOnlyList<object>)[.. {expr}.Select(e => {ToAbi(a.Element, ElementInternalType(internalType), "e")})]",
        AbiTupleType => $"(object){expr}.ToAbi()",
        _ => $"(object){expr}",
    };

    /// <summary>An expression converting codec value <paramref name="expr"/> to the C# type.</summary>
    public string FromAbi(AbiType type, string? internalType, string expr) => type switch
    {
        AbiUIntType { Bits: <= 64 } => $"(ulong)(BigInteger){expr}",
        AbiIntType { Bits: <= 64 } => $"(long)(BigInteger){expr}",
        AbiUIntType or AbiIntType => $"(BigInteger){expr}",
        AbiAddressType => $"(Address){expr}",
        AbiBoolType => $"(bool){expr}",
        AbiFixedBytesType { Size: 32 } => $"new Hash32((byte[]){expr})",
        AbiFixedBytesType or AbiBytesType => $"(byte[]){expr}",
        AbiStringType => $"(string){expr}",
        AbiArrayType a => $"((IReadOnlyList<object>){expr}).Select(e => {FromAbi(a.Element, ElementInternalType(internalType), "e")}).ToList()",
        AbiTupleType t => $"{StructName(t, internalType)}.FromAbi({expr})",
        _ => throw new NotSupportedException($"ABI type {type}"),
    };

    private string StructName(AbiTupleType tuple, string? internalType)
    {
        // internalType "struct BindingsProbe.Pair" (or "struct Pair[]" for arrays) names the struct; else a stable fallback.
        var name = internalType is not null && internalType.StartsWith("struct ", StringComparison.Ordinal)
            ? internalType[7..].Split('[')[0].Split('.')[^1]
            : "Tuple" + Convert.ToHexString(SupplyOracle.Contracts.Bindings.Crypto.Keccak256.Hash(Encoding.ASCII.GetBytes(tuple.CanonicalName)).ToArray()[..4]);
        Structs.TryAdd(name, tuple);
        return name;
    }

    private static string? ElementInternalType(string? internalType) =>
        internalType is null ? null : internalType[..internalType.LastIndexOf('[')] is var e && e.Length > 0 ? e : null;

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
