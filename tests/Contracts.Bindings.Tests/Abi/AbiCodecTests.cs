using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Bindings;
using SupplyOracle.Contracts.Bindings.Tests.Support;
using static SupplyOracle.Contracts.Bindings.Tests.Bindings.BindingsProbeContract;

namespace SupplyOracle.Contracts.Bindings.Tests.Abi;

/// <summary>Our use of Nethereum's ABI layer, checked against ethers and cast (the bindings are built on it).</summary>
public sealed class AbiCodecTests
{
    private static readonly Address s_who = Address.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

    private static byte[] Encode(string[] types, object[] values) =>
        new ParametersEncoder().EncodeParameters(AbiGenerators.Parameters(types), [.. values.Select(AbiGenerators.ToNethereum)]);

    private static bool RoundTrips(string[] types, byte[] encoded, object[] values)
    {
        var decoded = new ParameterDecoder().DecodeDefaultData(encoded, AbiGenerators.Parameters(types));
        return decoded.Count == values.Length && decoded.Zip(values).All(p => AbiGenerators.ValueEquals(p.First.Result, p.Second));
    }

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
                ["types"] = new JsonArray([.. c.Types.Select(t => (JsonNode)JsonValue.Create(t))]),
                ["values"] = new JsonArray([.. c.Values.Select(AbiGenerators.ToEthers)]),
            })]),
        };
        var ethers = JsonDocument.Parse(Tools.Ethers(input.ToJsonString())).RootElement;
        for (var i = 0; i < cases.Count; i++)
        {
            var encoded = Encode(cases[i].Types, cases[i].Values);
            Assert.Equal(ethers[i].GetProperty("encoded").GetString(), Hex.Encode(encoded));
            Assert.True(RoundTrips(cases[i].Types, encoded, cases[i].Values), $"round trip of {string.Join(',', cases[i].Types)}");
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
        var cast = Tools.CastMany([.. cases.Select(c => (string[])["abi-encode", $"f({string.Join(',', c.Types)})",
            .. c.Values.Select(v => AbiGenerators.ToCast(v))])]);
        for (var i = 0; i < cases.Count; i++)
        {
            Assert.Equal(cast[i], Hex.Encode(Encode(cases[i].Types, cases[i].Values)));
            Assert.True(RoundTrips(cases[i].Types, Hex.Decode(cast[i]), cases[i].Values));
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
            return RoundTrips(types, Encode(types, values), values);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void GeneratedMessages_StructWithArrayAndBytes_EncodeAsCastCalldata()
    {
        var probe = new BindingsProbeContract(Chain.UnusedClient(), s_who);
        var tag = Hash32.Parse("0x" + new string('a', 64));
        var pair = new Pair(s_who, [1, ulong.MaxValue, 7], [0xde, 0xad, 0xbe, 0xef, 0x00]);

        var call = probe.EmitPairCall(tag, pair);

        Assert.Equal(probe.Address, call.To);
        Assert.Equal(Tools.Cast("calldata", "emitPair(bytes32,(address,uint64[],bytes))", tag.ToString(), $"({s_who},[1,{ulong.MaxValue},7],0xdeadbeef00)"),
            Hex.Encode(call.Data.Span));
        Assert.Equal(Tools.Cast("calldata", "describe(int32,bool,bytes4)", "-5", "true", "0x01020304"), Hex.Encode(probe.DescribeCall(-5, true, [1, 2, 3, 4]).Data.Span));
    }

    [Fact]
    public void Selectors_GeneratedFunctionsEventsAndErrors_EqualCastSigAndKeccak()
    {
        Assert.Equal(Tools.Cast("sig", "emitPair(bytes32,(address,uint64[],bytes))"), "0x" + ABITypedRegistry.GetFunctionABI<EmitPairFunction>().Sha3Signature);
        Assert.Equal(Tools.Cast("keccak", "ValueChanged(address,uint256,uint256,string)"), ValueChangedEvent.Topic.ToString());
        Assert.Equal(Tools.Cast("keccak", "PairSeen(bytes32,(address,uint64[],bytes))"), PairSeenEvent.Topic.ToString());
        Assert.Equal(Tools.Cast("sig", "TooLow(uint256,address)"), "0x" + ABITypedRegistry.GetError<TooLowErrorDTO>().Sha3Signature);
    }

    [Fact]
    public void DecodeOutput_EmptyOrTruncatedReturnData_ThrowsAbiException()
    {
        Assert.Throws<AbiException>(() => DecodeValue([]));
        Assert.Throws<AbiException>(() => DecodeEchoPair(Hex.Decode("0x0000000000000000000000000000000000000000000000000000000000000020")));
    }

    [Fact]
    public void DecodeRevert_CustomErrorErrorStringAndPanic_DecodesEachFromCastCalldata()
    {
        var custom = Errors.Decode(Hex.Decode(Tools.Cast("calldata", "TooLow(uint256,address)", "7", s_who.ToString())));
        Assert.Equal(("TooLow", "TooLow(uint256,address)"), (custom.Name, custom.Signature));
        Assert.Equal((BigInteger)7, custom.Arguments[0]);
        Assert.Equal(s_who, custom.Arguments[1]);
        Assert.Equal(new TooLowError(7, s_who), custom.Error);
        Assert.Equal($"TooLow(7, {s_who})", custom.ToString());

        var nope = Errors.Decode(Hex.Decode(Tools.Cast("calldata", "Nope()")));
        Assert.Equal(new NopeError(), nope.Error);

        var error = Errors.Decode(Hex.Decode(Tools.Cast("calldata", "Error(string)", "no way")));
        Assert.Equal(("Error", "no way", null), (error.Name, (string)error.Arguments[0], error.Error));

        var panic = Errors.Decode(Hex.Decode(Tools.Cast("calldata", "Panic(uint256)", "17")));
        Assert.Equal(("Panic", (BigInteger)17), (panic.Name, (BigInteger)panic.Arguments[0]));

        var unknown = Errors.Decode([1, 2, 3, 4, 5]);
        Assert.Equal((null, null), (unknown.Name, unknown.Error));
        Assert.Equal("unknown revert 0x0102030405", unknown.ToString());
    }

    [Fact]
    public void ErrorFrom_RevertDecodedByAnotherContractsBinding_MatchesBySignature()
    {
        // The governance CLI explains a revert with whichever contract's error records name it (both are Ownable2Step).
        var data = Hex.Decode(Tools.Cast("calldata", "OwnableUnauthorizedAccount(address)", s_who.ToString()));
        var revert = new ContractRevertException("unpause", SupplyOracleContract.Errors.Decode(data), new JsonRpcException("eth_call", 3, "execution reverted", null));

        Assert.IsType<SupplyOracleContract.OwnableUnauthorizedAccountError>(revert.Revert.Error);
        Assert.Equal(new ExcludedAddressRegistryContract.OwnableUnauthorizedAccountError(s_who), ExcludedAddressRegistryContract.OwnableUnauthorizedAccountError.From(revert));
        Assert.Null(ExcludedAddressRegistryContract.NotOwnerOrGuardianError.From(revert));
    }

    [Fact]
    public void DecodeRevert_KnownSelectorWithTruncatedArguments_ThrowsAbiException()
    {
        var data = Hex.Decode(Tools.Cast("calldata", "TooLow(uint256,address)", "7", s_who.ToString()));
        Assert.Throws<AbiException>(() => Errors.Decode(data.AsSpan(0, 20)));
    }
}
