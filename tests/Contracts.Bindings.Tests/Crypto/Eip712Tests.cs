using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Support;

namespace SupplyOracle.Contracts.Bindings.Tests.Crypto;

public sealed class Eip712Tests
{
    private static readonly Address s_oracle = Address.Parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC");

    [Fact]
    public void Digest_RandomTypedData_EqualsEthersDigestEncodeTypeAndSignature()
    {
        var random = new Random(712);
        var cases = Enumerable.Range(0, 80).Select(i => RandomTypedData(random)).ToList();
        var key = SignatureTests.RandomKey(random);
        var input = new JsonObject
        {
            ["kind"] = "eip712",
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["domain"] = c["domain"]!.DeepClone(),
                ["types"] = TypesWithoutDomain(c),
                ["message"] = c["message"]!.DeepClone(),
                ["primaryType"] = c["primaryType"]!.DeepClone(),
                ["privateKey"] = Hex.Encode(key.ExportBytes()),
            })]),
        };
        var ethers = JsonDocument.Parse(Tools.Ethers(input.ToJsonString())).RootElement;
        for (var i = 0; i < cases.Count; i++)
        {
            var json = cases[i].ToJsonString();
            var digest = Eip712.DigestOfJson(json);
            Assert.Equal(ethers[i].GetProperty("digest").GetString(), digest.ToString());
            Assert.Equal(ethers[i].GetProperty("signature").GetString(), key.Sign(digest).ToString());
            Assert.Equal(ethers[i].GetProperty("encodeType").GetString(), Eip712.EncodeType(ParseTypes(cases[i]), "Main"));
        }
    }

    [Fact]
    public void Digest_RandomTypedData_EqualsCastWalletSignData()
    {
        var random = new Random(1712);
        var key = SignatureTests.RandomKey(random);
        var dir = Directory.CreateTempSubdirectory("eip712-");
        try
        {
            var cases = Enumerable.Range(0, 16).Select(_ => RandomTypedData(random)).ToList();
            var files = cases.Select((c, i) =>
            {
                var path = Path.Combine(dir.FullName, $"{i}.json");
                File.WriteAllText(path, c.ToJsonString());
                return path;
            }).ToList();
            var cast = Tools.CastMany([.. files.Select(f => new[] { "wallet", "sign", "--private-key", Hex.Encode(key.ExportBytes()), "--data", "--from-file", f })]);
            for (var i = 0; i < cases.Count; i++)
            {
                Assert.Equal(cast[i], key.Sign(Eip712.DigestOfJson(cases[i].ToJsonString())).ToString());
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void SupplyOracleFastPath_RandomBatchesAndReports_EqualsGeneralHasherAndEthers()
    {
        var random = new Random(77);
        var typed = new SupplyOracleTypedData(31337, s_oracle);
        var key = SignatureTests.RandomKey(random);
        var cases = new List<(string Type, ulong Round, ulong Block, ulong Time, Hash32 RefHash, byte[] Payload)>();
        for (var i = 0; i < 40; i++)
        {
            var isReport = i % 2 == 1;
            var payload = new byte[(isReport ? SupplyOracleTypedData.UpdateSize : SupplyOracleTypedData.ObservationSize) * random.Next(0, 6)];
            random.NextBytes(payload);
            cases.Add((isReport ? "Report" : "ObservationBatch", (ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(),
                SignatureTests.RandomHash(random), payload));
        }

        var types = new JsonObject();
        foreach (var (name, fields) in SupplyOracleTypedData.Types)
        {
            types[name] = new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type })]);
        }

        var input = new JsonObject
        {
            ["kind"] = "eip712",
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["domain"] = new JsonObject { ["name"] = "SupplyOracle", ["version"] = "1", ["chainId"] = 31337, ["verifyingContract"] = s_oracle.ToString() },
                ["types"] = new JsonObject { [c.Type] = types[c.Type]!.DeepClone() },
                ["primaryType"] = c.Type,
                ["message"] = Message(c.Type, c.Round, c.Block, c.Time, c.RefHash, c.Payload),
                ["privateKey"] = Hex.Encode(key.ExportBytes()),
            })]),
        };
        var ethers = JsonDocument.Parse(Tools.Ethers(input.ToJsonString())).RootElement;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var fast = c.Type == "Report"
                ? typed.ReportDigest(c.Round, c.Block, c.Time, c.RefHash, c.Payload)
                : typed.ObservationBatchDigest(c.Round, c.Block, c.Time, c.RefHash, c.Payload);
            var general = Eip712.Digest(typed.Domain, SupplyOracleTypedData.Types, c.Type, new Dictionary<string, object>
            {
                ["round"] = c.Round, ["referenceBlock"] = c.Block, ["referenceTime"] = c.Time, ["referenceHash"] = c.RefHash,
                [c.Type == "Report" ? "updates" : "observations"] = c.Payload,
            });
            Assert.Equal(general, fast);
            Assert.Equal(ethers[i].GetProperty("digest").GetString(), fast.ToString());
            Assert.Equal(ethers[i].GetProperty("signature").GetString(), key.Sign(fast).ToString());
        }
    }

    [Fact]
    public void ObservationBatchDigest_PayloadNotMultipleOf60_Throws()
    {
        var typed = new SupplyOracleTypedData(1, s_oracle);
        Assert.Throws<ArgumentException>(() => typed.ObservationBatchDigest(1, 1, 1, Hash32.Zero, new byte[59]));
        Assert.Throws<ArgumentException>(() => typed.ReportDigest(1, 1, 1, Hash32.Zero, new byte[46]));
    }

    [Theory]
    [InlineData("{\"a\":\"300\"}", "uint8")]
    [InlineData("{\"a\":\"-1\"}", "uint256")]
    [InlineData("{\"a\":\"0x12\"}", "bytes2")]
    [InlineData("{\"a\":\"12x\"}", "uint256")]
    [InlineData("{\"a\":\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD\"}", "address")]
    [InlineData("{\"a\":1}", "bool")]
    [InlineData("{}", "uint256")]
    [InlineData("{\"a\":\"1\"}", "Unknown")]
    public void HashStruct_ValueNotFittingItsType_ThrowsFormatException(string message, string type)
    {
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>> { ["T"] = [new TypedDataField("a", type)] };
        using var doc = JsonDocument.Parse(message);
        Assert.Throws<FormatException>(() => Eip712.HashStruct(types, "T", doc.RootElement));
    }

    private static JsonObject Message(string type, ulong round, ulong block, ulong time, Hash32 refHash, byte[] payload) => new()
    {
        ["round"] = round.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["referenceBlock"] = block.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["referenceTime"] = time.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["referenceHash"] = refHash.ToString(),
        [type == "Report" ? "updates" : "observations"] = Hex.Encode(payload),
    };

    private static JsonObject TypesWithoutDomain(JsonObject typedData)
    {
        var types = (JsonObject)typedData["types"]!.DeepClone();
        types.Remove("EIP712Domain");
        return types;
    }

    private static Dictionary<string, IReadOnlyList<TypedDataField>> ParseTypes(JsonObject typedData) =>
        typedData["types"]!.AsObject().ToDictionary(
            p => p.Key,
            p => (IReadOnlyList<TypedDataField>)[.. p.Value!.AsArray().Select(f => new TypedDataField(f!["name"]!.GetValue<string>(), f["type"]!.GetValue<string>()))]);

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
                if (random.Next(4) == 0)
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
