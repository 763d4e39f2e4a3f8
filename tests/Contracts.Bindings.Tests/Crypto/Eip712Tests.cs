using System.Text.Json;
using System.Text.Json.Nodes;
using Nethereum.ABI.EIP712;
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
        var cases = Enumerable.Range(0, 80).Select(i => TypedDataGenerators.RandomTypedData(random)).ToList();
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
            var digest = NethereumDigest(json);
            Assert.Equal(ethers[i].GetProperty("digest").GetString(), digest.ToString());
            Assert.Equal(ethers[i].GetProperty("signature").GetString(), key.Sign(digest).ToString());
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
            var cases = Enumerable.Range(0, 16).Select(_ => TypedDataGenerators.RandomTypedData(random)).ToList();
            var files = cases.Select((c, i) =>
            {
                var path = Path.Combine(dir.FullName, $"{i}.json");
                File.WriteAllText(path, c.ToJsonString());
                return path;
            }).ToList();
            var cast = Tools.CastMany([.. files.Select(f => new[] { "wallet", "sign", "--private-key", Hex.Encode(key.ExportBytes()), "--data", "--from-file", f })]);
            for (var i = 0; i < cases.Count; i++)
            {
                Assert.Equal(cast[i], key.Sign(NethereumDigest(cases[i].ToJsonString())).ToString());
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
        foreach (var name in (string[])["ObservationBatch", "Report"])
        {
            types[name] = TypeJson(name);
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
            // Nethereum.Signer.EIP712's general encoder over the attributed message types.
            var encoded = c.Type == "Report"
                ? Eip712TypedDataEncoder.Current.EncodeTypedData(new ReportMessage { Round = c.Round, ReferenceBlock = c.Block, ReferenceTime = c.Time,
                    ReferenceHash = c.RefHash.ToArray(), Updates = c.Payload }, typed.Domain, ReportMessage.TypeName)
                : Eip712TypedDataEncoder.Current.EncodeTypedData(new ObservationBatchMessage { Round = c.Round, ReferenceBlock = c.Block, ReferenceTime = c.Time,
                    ReferenceHash = c.RefHash.ToArray(), Observations = c.Payload }, typed.Domain, ObservationBatchMessage.TypeName);
            var general = Keccak256.Hash(encoded);
            Assert.Equal(general, fast);
            Assert.Equal(ethers[i].GetProperty("digest").GetString(), fast.ToString());
            Assert.Equal(ethers[i].GetProperty("signature").GetString(), key.Sign(fast).ToString());
        }
    }

    [Fact]
    public void SupplyOracleFastPath_RandomReports_EqualCastWalletSignData()
    {
        var random = new Random(707);
        var typed = new SupplyOracleTypedData(8453, s_oracle);
        var key = SignatureTests.RandomKey(random);
        var dir = Directory.CreateTempSubdirectory("eip712-so-");
        try
        {
            var calls = new List<string[]>();
            var digests = new List<Hash32>();
            for (var i = 0; i < 8; i++)
            {
                var type = i % 2 == 0 ? "ObservationBatch" : "Report";
                var payload = new byte[(type == "Report" ? SupplyOracleTypedData.UpdateSize : SupplyOracleTypedData.ObservationSize) * (i + 1)];
                random.NextBytes(payload);
                var (round, block, time, refHash) = ((ulong)random.NextInt64(), (ulong)random.NextInt64(), (ulong)random.NextInt64(), SignatureTests.RandomHash(random));
                digests.Add(type == "Report"
                    ? typed.ReportDigest(round, block, time, refHash, payload)
                    : typed.ObservationBatchDigest(round, block, time, refHash, payload));
                var document = new JsonObject
                {
                    ["types"] = new JsonObject
                    {
                        ["EIP712Domain"] = JsonNode.Parse("""[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}]"""),
                        [type] = TypeJson(type),
                    },
                    ["primaryType"] = type,
                    ["domain"] = new JsonObject { ["name"] = "SupplyOracle", ["version"] = "1", ["chainId"] = 8453, ["verifyingContract"] = s_oracle.ToString() },
                    ["message"] = Message(type, round, block, time, refHash, payload),
                };
                var path = Path.Combine(dir.FullName, $"{i}.json");
                File.WriteAllText(path, document.ToJsonString());
                calls.Add(["wallet", "sign", "--private-key", Hex.Encode(key.ExportBytes()), "--data", "--from-file", path]);
            }

            var cast = Tools.CastMany(calls);
            for (var i = 0; i < digests.Count; i++)
            {
                Assert.Equal(cast[i], key.Sign(digests[i]).ToString());
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void ObservationBatchDigest_PayloadNotMultipleOf60_Throws()
    {
        var typed = new SupplyOracleTypedData(1, s_oracle);
        Assert.Throws<ArgumentException>(() => typed.ObservationBatchDigest(1, 1, 1, Hash32.Zero, new byte[59]));
        Assert.Throws<ArgumentException>(() => typed.ReportDigest(1, 1, 1, Hash32.Zero, new byte[46]));
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

    private static Hash32 NethereumDigest(string typedDataJson) => new(Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(typedDataJson));

    private static JsonArray TypeJson(string type)
    {
        (string Name, string Type)[] fields = [("round", "uint64"), ("referenceBlock", "uint64"), ("referenceTime", "uint64"), ("referenceHash", "bytes32"),
            (type == "Report" ? "updates" : "observations", "bytes")];
        return new JsonArray([.. fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type })]);
    }
}
