using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Abi;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Crypto;

namespace SupplyOracle.Contracts.Bindings.Tests.Abi;

/// <summary>Random ABI types and values, rendered for ethers (JSON) and cast (its argument syntax).</summary>
internal static class AbiGenerators
{
    public static AbiType RandomType(Random random, int depth = 0)
    {
        var pick = random.Next(depth >= 2 ? 8 : 11);
        return pick switch
        {
            0 => new AbiUIntType(8 * random.Next(1, 33)),
            1 => new AbiIntType(8 * random.Next(1, 33)),
            2 => AbiAddressType.Instance,
            3 => AbiBoolType.Instance,
            4 => new AbiFixedBytesType(random.Next(1, 33)),
            5 => AbiBytesType.Instance,
            6 => AbiStringType.Instance,
            7 => new AbiUIntType(256),
            8 => new AbiArrayType(RandomType(random, depth + 1), null),
            9 => new AbiArrayType(RandomType(random, depth + 1), random.Next(1, 4)),
            _ => new AbiTupleType([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => new AbiParameter("", RandomType(random, depth + 1)))]),
        };
    }

    public static object RandomValue(Random random, AbiType type) => type switch
    {
        AbiUIntType u => TypedDataGenerators.RandomBits(random, random.Next(0, u.Bits + 1)),
        AbiIntType i => random.Next(2) == 0 ? TypedDataGenerators.RandomBits(random, random.Next(0, i.Bits)) : -TypedDataGenerators.RandomBits(random, random.Next(0, i.Bits)) - (random.Next(2)),
        AbiAddressType => TypedDataGenerators.RandomAddress(random),
        AbiBoolType => random.Next(2) == 0,
        AbiFixedBytesType f => RandomBytes(random, f.Size),
        AbiBytesType => RandomBytes(random, random.Next(0, 70)),
        AbiStringType => new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => "abcXYZ019é€_"[random.Next(0, 12)])]),
        AbiArrayType a => (IReadOnlyList<object>)[.. Enumerable.Range(0, a.Length ?? random.Next(0, 4)).Select(_ => RandomValue(random, a.Element))],
        AbiTupleType t => (IReadOnlyList<object>)[.. t.Components.Select(c => RandomValue(random, c.Type))],
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static byte[] RandomBytes(Random random, int n)
    {
        var b = new byte[n];
        random.NextBytes(b);
        return b;
    }

    /// <summary>ethers' AbiCoder value: integers as {"int": "..."} (revived to BigInt by the script).</summary>
    public static JsonNode? ToEthers(object value) => value switch
    {
        BigInteger b => new JsonObject { ["int"] = b.ToString(CultureInfo.InvariantCulture) },
        Address a => a.ToString(),
        bool b => b,
        byte[] b => Hex.Encode(b),
        string s => s,
        IReadOnlyList<object> l => new JsonArray([.. l.Select(ToEthers)]),
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>cast's argument syntax: arrays [a,b], tuples (a,b), hex bytes, strings quoted inside containers.</summary>
    public static string ToCast(object value, bool nested = false) => value switch
    {
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        Address a => a.ToString(),
        bool b => b ? "true" : "false",
        byte[] b => Hex.Encode(b),
        string s => nested ? $"\"{s}\"" : s,
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    public static string ToCast(AbiType type, object value) => type switch
    {
        AbiArrayType a => "[" + string.Join(',', ((IReadOnlyList<object>)value).Select(v => ToCastNested(a.Element, v))) + "]",
        AbiTupleType t => "(" + string.Join(',', ((IReadOnlyList<object>)value).Select((v, i) => ToCastNested(t.Components[i].Type, v))) + ")",
        _ => ToCast(value),
    };

    private static string ToCastNested(AbiType type, object value) => type is AbiArrayType or AbiTupleType ? ToCast(type, value) : ToCast(value, nested: true);

    /// <summary>Structural equality of decoded values.</summary>
    public static bool ValueEquals(object a, object b) => (a, b) switch
    {
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (IReadOnlyList<object> x, IReadOnlyList<object> y) => x.Count == y.Count && x.Zip(y).All(p => ValueEquals(p.First, p.Second)),
        _ => a.Equals(b),
    };
}
