using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Nethereum.ABI.Model;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Crypto;

namespace SupplyOracle.Contracts.Bindings.Tests.Abi;

/// <summary>
/// Random ABI types (canonical names: elementary types and nested fixed and dynamic arrays) and values, rendered for
/// Nethereum's codec, ethers (JSON) and cast (its argument syntax). Tuples are covered through the generated DTOs.
/// </summary>
internal static class AbiGenerators
{
    public static string RandomType(Random random, int depth = 0) => random.Next(depth >= 2 ? 8 : 10) switch
    {
        0 => $"uint{8 * random.Next(1, 33)}",
        1 => $"int{8 * random.Next(1, 33)}",
        2 => "address",
        3 => "bool",
        4 => $"bytes{random.Next(1, 33)}",
        5 => "bytes",
        6 => "string",
        7 => "uint256",
        8 => RandomType(random, depth + 1) + "[]",
        _ => RandomType(random, depth + 1) + $"[{random.Next(1, 4)}]",
    };

    public static object RandomValue(Random random, string type)
    {
        if (type.EndsWith(']'))
        {
            var open = type.LastIndexOf('[');
            var length = type[(open + 1)..^1] is { Length: > 0 } n ? int.Parse(n, CultureInfo.InvariantCulture) : random.Next(0, 4);
            return (IReadOnlyList<object>)[.. Enumerable.Range(0, length).Select(_ => RandomValue(random, type[..open]))];
        }

        return type switch
        {
            "address" => TypedDataGenerators.RandomAddress(random),
            "bool" => random.Next(2) == 0,
            "bytes" => RandomBytes(random, random.Next(0, 70)),
            "string" => new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => "abcXYZ019é€_"[random.Next(0, 12)])]),
            _ when type.StartsWith("bytes", StringComparison.Ordinal) => RandomBytes(random, int.Parse(type[5..], CultureInfo.InvariantCulture)),
            _ when type.StartsWith("uint", StringComparison.Ordinal) => TypedDataGenerators.RandomBits(random, random.Next(0, int.Parse(type[4..], CultureInfo.InvariantCulture) + 1)),
            _ => Signed(random, int.Parse(type[3..], CultureInfo.InvariantCulture)),
        };
    }

    private static BigInteger Signed(Random random, int bits) => random.Next(2) == 0
        ? TypedDataGenerators.RandomBits(random, random.Next(0, bits))
        : -TypedDataGenerators.RandomBits(random, random.Next(0, bits)) - random.Next(2);

    private static byte[] RandomBytes(Random random, int n)
    {
        var b = new byte[n];
        random.NextBytes(b);
        return b;
    }

    /// <summary>Nethereum's parameters of a list of types.</summary>
    public static Parameter[] Parameters(IEnumerable<string> types) => [.. types.Select((t, i) => new Parameter(t, "p" + i.ToString(CultureInfo.InvariantCulture), i + 1))];

    /// <summary>The value as Nethereum's encoder takes it: addresses as hex strings, arrays as lists.</summary>
    public static object ToNethereum(object value) => value switch
    {
        Address a => a.ToString(),
        IReadOnlyList<object> l => l.Select(ToNethereum).ToList(),
        _ => value,
    };

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

    /// <summary>cast's argument syntax: arrays [a,b], hex bytes, strings quoted inside containers.</summary>
    public static string ToCast(object value, bool nested = false) => value switch
    {
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        Address a => a.ToString(),
        bool b => b ? "true" : "false",
        byte[] b => Hex.Encode(b),
        string s => nested ? $"\"{s}\"" : s,
        IReadOnlyList<object> l => "[" + string.Join(',', l.Select(v => ToCast(v, nested: true))) + "]",
        _ => throw new ArgumentOutOfRangeException(nameof(value)),
    };

    /// <summary>Structural equality of a value Nethereum decoded (addresses as strings, arrays as lists) with the generated one.</summary>
    public static bool ValueEquals(object? decoded, object expected) => (decoded, expected) switch
    {
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (string x, Address y) => Address.Parse(x) == y,
        (System.Collections.IEnumerable x and not string and not byte[], IReadOnlyList<object> y) =>
            x.Cast<object>().ToList() is var l && l.Count == y.Count && l.Zip(y).All(p => ValueEquals(p.First, p.Second)),
        _ => Equals(decoded, expected),
    };
}
