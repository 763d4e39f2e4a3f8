using System.Numerics;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Tests.Crypto;

/// <summary>Random EIP-712 typed data and random values for differential tests.</summary>
internal static class TypedDataGenerators
{
    // A random eth_signTypedData_v4 document: a Main struct over atomic, dynamic, array and nested struct members.
    internal static JsonObject RandomTypedData(Random random)
    {
        var types = new JsonObject
        {
            ["EIP712Domain"] = new JsonArray(
                new JsonObject { ["name"] = "name", ["type"] = "string" },
                new JsonObject { ["name"] = "version", ["type"] = "string" },
                new JsonObject { ["name"] = "chainId", ["type"] = "uint256" },
                new JsonObject { ["name"] = "verifyingContract", ["type"] = "address" }),
        };
        var structs = new[] { "Main", "Inner", "Zeta" };
        var message = RandomStruct(random, types, structs, 0);
        return new JsonObject
        {
            ["types"] = types,
            ["primaryType"] = "Main",
            ["domain"] = new JsonObject
            {
                ["name"] = "Test" + random.Next(1000), ["version"] = "1", ["chainId"] = random.Next(1, 100000),
                ["verifyingContract"] = RandomAddress(random).ToString(),
            },
            ["message"] = message,
        };
    }

    private static JsonObject RandomStruct(Random random, JsonObject types, string[] structs, int depth)
    {
        var name = structs[depth];
        var fields = new JsonArray();
        var value = new JsonObject();
        var count = random.Next(1, 6);
        for (var i = 0; i < count; i++)
        {
            var fieldName = $"f{i}";
            string type;
            JsonNode? fieldValue;
            if (depth + 1 < structs.Length && random.Next(5) == 0)
            {
                var nestedName = structs[depth + 1];
                var nested = types.ContainsKey(nestedName) ? RandomValueOfExisting(random, types, structs, depth + 1) : RandomStruct(random, types, structs, depth + 1);
                type = nestedName;
                fieldValue = nested;
                if (random.Next(2) == 0)
                {
                    type += "[]";
                    fieldValue = new JsonArray(nested, RandomValueOfExisting(random, types, structs, depth + 1));
                }
            }
            else
            {
                (type, fieldValue) = RandomAtomic(random);
                // Nethereum.Signer.EIP712's JSON reader takes fixed-size bytes as hex only outside arrays: no bytesN[] here.
                if (random.Next(4) == 0 && !(type.StartsWith("bytes", StringComparison.Ordinal) && type != "bytes"))
                {
                    var items = new JsonArray();
                    var n = random.Next(0, 4);
                    var fixedLength = random.Next(2) == 0;
                    for (var k = 0; k < n; k++)
                    {
                        items.Add(RandomOfType(random, type));
                    }

                    type += fixedLength ? $"[{n}]" : "[]";
                    if (fixedLength && n == 0)
                    {
                        type = type[..^3] + "[]";
                    }

                    fieldValue = items;
                }
            }

            fields.Add(new JsonObject { ["name"] = fieldName, ["type"] = type });
            value[fieldName] = fieldValue;
        }

        types[name] = fields;
        return value;
    }

    private static JsonObject RandomValueOfExisting(Random random, JsonObject types, string[] structs, int depth)
    {
        var name = structs[depth];
        var value = new JsonObject();
        foreach (var field in types[name]!.AsArray())
        {
            var type = field!["type"]!.GetValue<string>();
            var baseType = type.Split('[')[0];
            JsonNode? v;
            if (types.ContainsKey(baseType))
            {
                var one = RandomValueOfExisting(random, types, structs, depth + 1);
                v = type.EndsWith("[]", StringComparison.Ordinal) ? new JsonArray(one) : one;
            }
            else if (type.EndsWith(']'))
            {
                var fixedCount = type.EndsWith("[]", StringComparison.Ordinal) ? random.Next(0, 3) : int.Parse(type[(type.LastIndexOf('[') + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                v = new JsonArray([.. Enumerable.Range(0, fixedCount).Select(_ => RandomOfType(random, baseType))]);
            }
            else
            {
                v = RandomOfType(random, type);
            }

            value[field["name"]!.GetValue<string>()] = v;
        }

        return value;
    }

    private static (string Type, JsonNode? Value) RandomAtomic(Random random)
    {
        var type = random.Next(8) switch
        {
            0 => $"uint{8 * random.Next(1, 33)}",
            1 => $"int{8 * random.Next(1, 33)}",
            2 => "address",
            3 => "bool",
            4 => $"bytes{random.Next(1, 33)}",
            5 => "bytes",
            6 => "string",
            _ => "uint256",
        };
        return (type, RandomOfType(random, type));
    }

    private static JsonNode? RandomOfType(Random random, string type)
    {
        if (type.StartsWith("uint", StringComparison.Ordinal))
        {
            var bits = int.Parse(type[4..], System.Globalization.CultureInfo.InvariantCulture);
            return RandomBits(random, random.Next(0, bits + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type.StartsWith("int", StringComparison.Ordinal))
        {
            var bits = int.Parse(type[3..], System.Globalization.CultureInfo.InvariantCulture);
            var v = RandomBits(random, random.Next(0, bits));
            return (random.Next(2) == 0 ? -v : v).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        switch (type)
        {
            case "address":
                return RandomAddress(random).ToString();
            case "bool":
                return random.Next(2) == 0;
            case "bytes":
            {
                var b = new byte[random.Next(0, 70)];
                random.NextBytes(b);
                return Hex.Encode(b);
            }

            case "string":
                return new string([.. Enumerable.Range(0, random.Next(0, 20)).Select(_ => "abcé€ñ xyz"[random.Next(0, 10)])]);
        }

        var size = int.Parse(type[5..], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new byte[size];
        random.NextBytes(bytes);
        return Hex.Encode(bytes);
    }

    internal static BigInteger RandomBits(Random random, int bits)
    {
        if (bits == 0)
        {
            return BigInteger.Zero;
        }

        var bytes = new byte[(bits + 7) / 8];
        random.NextBytes(bytes);
        var excess = (bytes.Length * 8) - bits;
        bytes[0] &= (byte)(0xFF >> excess);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    internal static Address RandomAddress(Random random)
    {
        var bytes = new byte[20];
        random.NextBytes(bytes);
        return new Address(bytes);
    }
}
