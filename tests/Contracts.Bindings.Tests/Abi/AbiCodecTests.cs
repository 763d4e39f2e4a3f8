using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using SupplyOracle.Contracts.Bindings.Abi;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Support;

namespace SupplyOracle.Contracts.Bindings.Tests.Abi;

public sealed class AbiCodecTests
{
    [Fact]
    public void Encode_RandomTypesAndValues_EqualsEthersAbiCoder()
    {
        var random = new Random(42);
        var cases = Enumerable.Range(0, 150).Select(_ =>
        {
            var types = Enumerable.Range(0, random.Next(1, 5)).Select(_ => AbiGenerators.RandomType(random)).ToArray();
            return (Types: types, Values: types.Select(t => AbiGenerators.RandomValue(random, t)).ToArray());
        }).ToList();
        var input = new JsonObject
        {
            ["kind"] = "abi",
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["types"] = new JsonArray([.. c.Types.Select(t => (JsonNode)JsonValue.Create(t.CanonicalName.StartsWith('(') ? "tuple" + t.CanonicalName : t.CanonicalName))]),
                ["values"] = new JsonArray([.. c.Values.Select(AbiGenerators.ToEthers)]),
            })]),
        };
        var ethers = JsonDocument.Parse(Tools.Ethers(input.ToJsonString())).RootElement;
        for (var i = 0; i < cases.Count; i++)
        {
            var encoded = AbiEncoder.Encode(cases[i].Types, cases[i].Values);
            Assert.Equal(ethers[i].GetProperty("encoded").GetString(), Hex.Encode(encoded));
            var decoded = AbiDecoder.Decode(cases[i].Types, encoded);
            Assert.True(AbiGenerators.ValueEquals(decoded, cases[i].Values), $"round trip of {string.Join(',', cases[i].Types.Select(t => t.CanonicalName))}");
        }
    }

    [Fact]
    public void EncodeAndDecode_RandomCases_EqualCastAbiEncodeAndDecodeItsOutput()
    {
        var random = new Random(4242);
        var cases = Enumerable.Range(0, 30).Select(_ =>
        {
            var types = Enumerable.Range(0, random.Next(1, 4)).Select(_ => AbiGenerators.RandomType(random)).ToArray();
            return (Types: types, Values: types.Select(t => AbiGenerators.RandomValue(random, t)).ToArray());
        }).ToList();
        var cast = Tools.CastMany([.. cases.Select(c => (string[])["abi-encode", $"f({string.Join(',', c.Types.Select(t => t.CanonicalName))})",
            .. c.Types.Select((t, k) => AbiGenerators.ToCast(t, c.Values[k]))])]);
        for (var i = 0; i < cases.Count; i++)
        {
            Assert.Equal(cast[i], Hex.Encode(AbiEncoder.Encode(cases[i].Types, cases[i].Values)));
            Assert.True(AbiGenerators.ValueEquals(AbiDecoder.Decode(cases[i].Types, Hex.Decode(cast[i])), cases[i].Values));
        }
    }

    [Fact]
    public void Decode_EncodedRandomValues_RoundTrips()
    {
        Prop.ForAll<int>(seed =>
        {
            var random = new Random(seed);
            var types = Enumerable.Range(0, random.Next(1, 5)).Select(_ => AbiGenerators.RandomType(random)).ToArray();
            var values = types.Select(t => AbiGenerators.RandomValue(random, t)).ToArray();
            return AbiGenerators.ValueEquals(AbiDecoder.Decode(types, AbiEncoder.Encode(types, values)), values);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Selector_FunctionsAndEvents_EqualCastSigAndKeccak()
    {
        string[] signatures = ["transfer(address,uint256)", "commit(uint64,uint64,bytes32,bytes,bytes)", "f((uint256,address[])[],bytes32)"];
        foreach (var signature in signatures)
        {
            Assert.Equal(Tools.Cast("sig", signature), Hex.Encode(AbiSignatures.Selector(signature)));
        }

        var transfer = new AbiEvent("Transfer",
        [
            new AbiParameter("from", AbiAddressType.Instance, true), new AbiParameter("to", AbiAddressType.Instance, true),
            new AbiParameter("value", new AbiUIntType(256)),
        ]);
        Assert.Equal(Tools.Cast("keccak", "Transfer(address,address,uint256)"), transfer.Topic0.ToString());
    }

    [Theory]
    [InlineData("uint8", "0x0000000000000000000000000000000000000000000000000000000000000100")] // 256 does not fit uint8
    [InlineData("bool", "0x0000000000000000000000000000000000000000000000000000000000000002")]
    [InlineData("address", "0x0000000000000000000000010000000000000000000000000000000000000000")]
    [InlineData("int8", "0x0000000000000000000000000000000000000000000000000000000000000080")] // not sign-extended
    [InlineData("bytes2", "0x1234560000000000000000000000000000000000000000000000000000000000")]
    [InlineData("uint256", "0x00")] // short
    [InlineData("bytes", "0x0000000000000000000000000000000000000000000000000000000000000040")] // offset past end
    [InlineData("bytes", "0x000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000ff")]
    [InlineData("uint256[]", "0x00000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000fffffffff")]
    [InlineData("string", "0x000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000000")] // padding ok, but...
    public void Decode_MalformedData_ThrowsAbiException(string type, string hex)
    {
        var data = Hex.Decode(hex);
        if (type == "string")
        {
            // two bytes ff fe: not UTF-8
            data[64] = 0xff;
            data[65] = 0xfe;
        }

        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Parse(type), data));
    }

    [Fact]
    public void Decode_OverlappingOffsets_ThrowsInsteadOfExploding()
    {
        // bytes[][]: one outer array of 1000 inner arrays that all point at the same inner array of 1000 empty
        // byte strings that all point at the same length word: 10^6 values from 64 KiB without the budget.
        const int n = 1000;
        var words = new List<byte[]>();
        byte[] W(long v)
        {
            var w = new byte[32];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(w.AsSpan(24), v);
            return w;
        }

        words.Add(W(32)); // offset of the outer array
        words.Add(W(n)); // outer length; its elements start at word 2
        for (var i = 0; i < n; i++)
        {
            words.Add(W(32 * n)); // every inner offset (relative to word 2) points at word 2 + n
        }

        words.Add(W(n)); // the shared inner array's length; its elements start at word 3 + n
        for (var i = 0; i < n; i++)
        {
            words.Add(W(32 * n)); // every byte string points at word 3 + 2n
        }

        words.Add(W(0)); // the shared empty byte string
        var data = words.SelectMany(w => w).ToArray();
        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Parse("bytes[][]"), data));
    }

    [Fact]
    public void Decode_NestedStaticArraysOfOneWord_IsNotChargedForContainers()
    {
        var type = AbiType.Parse("uint256[1][1][1]");
        var data = AbiEncoder.Encode(type, (IReadOnlyList<object>)[(IReadOnlyList<object>)[(IReadOnlyList<object>)[(BigInteger)5]]]);
        Assert.Equal(32, data.Length);
        Assert.True(AbiGenerators.ValueEquals(AbiDecoder.Decode(type, data), (IReadOnlyList<object>)[(IReadOnlyList<object>)[(IReadOnlyList<object>)[(BigInteger)5]]]));
    }

    [Fact]
    public void Decode_NonZeroPaddingAfterBytes_ThrowsAbiException()
    {
        var data = AbiEncoder.Encode(AbiBytesType.Instance, new byte[] { 1, 2, 3 });
        data[^1] = 1;
        var ex = Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiBytesType.Instance, data));
        Assert.Equal("bytes", ex.Type);
    }

    [Fact]
    public void ContractAbiParse_NestedTupleArrays_GivesCanonicalSignatureAndCastSelector()
    {
        var abi = ContractAbi.Parse("""
            [{"type":"function","name":"f","stateMutability":"view","inputs":[
              {"name":"xs","type":"tuple[2][]","components":[{"name":"a","type":"uint256"},{"name":"b","type":"tuple","components":[{"name":"c","type":"address"},{"name":"d","type":"bytes"}]}]},
              {"name":"y","type":"int8"}],"outputs":[]}]
            """);
        var f = abi.Function("f");
        Assert.Equal("f((uint256,(address,bytes))[2][],int8)", f.Signature);
        Assert.Equal(Tools.Cast("sig", f.Signature), Hex.Encode(f.Selector));
        Assert.Throws<KeyNotFoundException>(() => abi.Function("g"));
    }

    [Theory]
    [InlineData("uint7")]
    [InlineData("uint264")]
    [InlineData("bytes33")]
    [InlineData("bytes0")]
    [InlineData("(uint256")]
    [InlineData("uint256[0]")]
    [InlineData("strin")]
    public void Parse_InvalidTypeName_ThrowsFormatException(string type) => Assert.Throws<FormatException>(() => AbiType.Parse(type));

    [Fact]
    public void Encode_ValueOutOfRangeOrWrongShape_ThrowsAbiException()
    {
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(new AbiUIntType(8), (BigInteger)256));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(new AbiIntType(8), (BigInteger)(-129)));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(new AbiFixedBytesType(4), new byte[3]));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(new AbiArrayType(AbiBoolType.Instance, 2), (IReadOnlyList<object>)[true]));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiAddressType.Instance, "0x00"));
    }

    [Fact]
    public void DecodeRevert_CustomErrorErrorStringAndPanic_DecodesEachFromCastCalldata()
    {
        var abi = ContractAbi.Parse("""
            [{"type":"error","name":"TooLow","inputs":[{"name":"have","type":"uint256"},{"name":"who","type":"address"}]}]
            """);
        var custom = abi.DecodeRevert(Hex.Decode(Tools.Cast("calldata", "TooLow(uint256,address)", "7", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8")));
        Assert.Equal("TooLow", custom.Name);
        Assert.Equal((BigInteger)7, custom.Arguments[0]);
        Assert.Equal(Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), custom.Arguments[1]);

        var error = abi.DecodeRevert(Hex.Decode(Tools.Cast("calldata", "Error(string)", "no way")));
        Assert.Equal(("Error", "no way"), (error.Name, (string)error.Arguments[0]));

        var panic = abi.DecodeRevert(Hex.Decode(Tools.Cast("calldata", "Panic(uint256)", "17")));
        Assert.Equal(("Panic", (BigInteger)17), (panic.Name, (BigInteger)panic.Arguments[0]));

        var unknown = abi.DecodeRevert([1, 2, 3, 4, 5]);
        Assert.Null(unknown.Name);
    }
}
