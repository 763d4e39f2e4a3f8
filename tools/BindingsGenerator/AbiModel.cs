using System.Text.Json;

namespace SupplyOracle.BindingsGenerator;

/// <summary>A parameter of the Solidity ABI JSON: its type as written (<c>tuple[2][]</c>), components of tuples, and the struct name.</summary>
internal sealed record AbiParam(string Name, string Type, string? InternalType, bool Indexed, IReadOnlyList<AbiParam> Components)
{
    /// <summary>The canonical type of signatures: tuples spelled out, e.g. <c>(uint256,address)[]</c>.</summary>
    public string Canonical => Type.StartsWith("tuple", StringComparison.Ordinal)
        ? $"({string.Join(',', Components.Select(c => c.Canonical))}){Type[5..]}"
        : Type;

    /// <summary>True for <c>T[]</c> and <c>T[k]</c>.</summary>
    public bool IsArray => Type.EndsWith(']');

    /// <summary>The element of an array type.</summary>
    public AbiParam Element => this with
    {
        Type = Type[..Type.LastIndexOf('[')],
        InternalType = InternalType is { } t && t.LastIndexOf('[') is var i and > 0 ? t[..i] : InternalType,
    };

    /// <summary>Dynamic types are stored in an event topic as their keccak256.</summary>
    public bool IsDynamicOrComposite => IsArray || Type is "string" or "bytes" || Type.StartsWith("tuple", StringComparison.Ordinal);

    public static AbiParam Parse(JsonElement e) => new(
        e.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "",
        e.GetProperty("type").GetString()!,
        e.TryGetProperty("internalType", out var it) ? it.GetString() : null,
        e.TryGetProperty("indexed", out var ix) && ix.GetBoolean(),
        e.TryGetProperty("components", out var c) ? [.. c.EnumerateArray().Select(Parse)] : []);
}

/// <summary>A function, event, error or constructor of the ABI JSON.</summary>
internal sealed record AbiItem(string Kind, string Name, IReadOnlyList<AbiParam> Inputs, IReadOnlyList<AbiParam> Outputs, string StateMutability)
{
    public string Signature => $"{Name}({string.Join(',', Inputs.Select(i => i.Canonical))})";

    public bool IsReadOnly => StateMutability is "view" or "pure";

    public static IReadOnlyList<AbiItem> ParseAll(JsonElement abi) => [.. abi.EnumerateArray().Select(e => new AbiItem(
        e.GetProperty("type").GetString()!,
        e.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "",
        e.TryGetProperty("inputs", out var i) ? [.. i.EnumerateArray().Select(AbiParam.Parse)] : [],
        e.TryGetProperty("outputs", out var o) ? [.. o.EnumerateArray().Select(AbiParam.Parse)] : [],
        e.TryGetProperty("stateMutability", out var m) ? m.GetString() ?? "" : ""))];
}
