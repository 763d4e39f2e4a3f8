using System.Numerics;
using SupplyOracle.BindingsGenerator;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Support;
using SupplyOracle.TestSupport;
using static SupplyOracle.Contracts.Bindings.Tests.Bindings.BindingsProbeContract;

namespace SupplyOracle.Contracts.Bindings.Tests.Bindings;

public sealed class GeneratedBindingTests(AnvilFixture anvil) : IClassFixture<AnvilFixture>
{
    private static readonly Address s_alice = Address.Parse(AnvilNode.DevAccounts[0].Address);

    [Fact]
    public void Generate_CommittedProbeBinding_IsUpToDate()
    {
        var artifact = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Contracts.Bindings.Tests", "Artifacts", "BindingsProbe.json"));
        var committed = File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Contracts.Bindings.Tests", "Bindings", "BindingsProbe.g.cs"));
        Assert.Equal(committed, BindingGenerator.Generate("BindingsProbe", artifact, "SupplyOracle.Contracts.Bindings.Tests.Bindings"));
    }

    [Fact]
    public void Generate_ProjectArtifacts_CommittedBindingsAreUpToDateAndNoneIsStale()
    {
        // The project's contracts: src/Contracts.Bindings/Artifacts/NAME.json → src/Contracts.Bindings/Bindings/NAME.g.cs
        // (regenerate with: dotnet run --project tools/BindingsGenerator).
        var artifacts = Path.Combine(RepoPaths.Root, "src", "Contracts.Bindings", "Artifacts");
        var bindings = Path.Combine(RepoPaths.Root, "src", "Contracts.Bindings", "Bindings");
        var expected = Directory.Exists(artifacts)
            ? BindingGenerator.GenerateDirectory(artifacts, "SupplyOracle.Contracts.Bindings.Bindings").ToDictionary(g => g.Name + ".g.cs", g => g.Code)
            : [];
        var committed = Directory.EnumerateFiles(bindings, "*.g.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), committed.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, code) in expected)
        {
            Assert.True(code == committed[name], $"{name} is out of date: run dotnet run --project tools/BindingsGenerator");
        }
    }

    [Fact]
    public void Generate_ForgeStyleArtifact_ReadsBytecodeObject()
    {
        const string artifact = """
            {"abi":[{"type":"function","name":"get","inputs":[],"outputs":[{"name":"","type":"uint64"}],"stateMutability":"view"},
                    {"type":"function","name":"get","inputs":[{"name":"k","type":"address"}],"outputs":[{"name":"","type":"uint64"}],"stateMutability":"view"}],
             "bytecode":{"object":"0x6001"},"deployedBytecode":{"object":"0x6002"}}
            """;
        var code = BindingGenerator.Generate("Tiny", artifact, "Example");
        Assert.Contains("Hex.Decode(\"0x6001\")", code, StringComparison.Ordinal);
        Assert.Contains("public async Task<ulong> GetAsync(BlockId? block", code, StringComparison.Ordinal);
        Assert.Contains("public async Task<ulong> Get1Async(Address k, BlockId? block", code, StringComparison.Ordinal); // the overload
    }

    [Fact]
    public async Task SetValue_ThenCallAtPastBlockByNumberAndHash_ReadsHistoricalState()
    {
        var sender = Chain.Sender(anvil.Node, 0);
        var probe = await BindingsProbeContract.DeployAsync(sender, 42);
        Assert.Equal(s_alice, await probe.OwnerAsync());
        var before = await sender.Client.BlockNumberAsync();
        var beforeHash = (await sender.Client.GetBlockAsync(BlockId.AtNumber(before)))!.Hash;

        var confirmed = await probe.SetValueAsync(sender, 1000, "raise");

        Assert.Equal((BigInteger)1000, await probe.ValueAsync());
        Assert.Equal((BigInteger)42, await probe.ValueAsync(BlockId.AtNumber(before)));
        Assert.Equal((BigInteger)42, await probe.ValueAsync(BlockId.AtHash(beforeHash)));
        var changed = Assert.Single(await probe.GetValueChangedEventsAsync(confirmed.Receipt.BlockNumber, confirmed.Receipt.BlockNumber));
        Assert.Equal((s_alice, (BigInteger)42, (BigInteger)1000, "raise"), (changed.By, changed.Previous, changed.Value, changed.Note));
        Assert.Equal(confirmed.Receipt.TransactionHash, changed.Log.TransactionHash);
    }

    [Fact]
    public async Task EmitPair_StructWithArrayAndBytes_DecodesFromReceiptLogAndEcho()
    {
        var sender = Chain.Sender(anvil.Node, 1);
        var probe = await BindingsProbeContract.DeployAsync(sender, 1);
        var pair = new Pair(s_alice, [1, ulong.MaxValue, 7], [0xde, 0xad, 0xbe, 0xef, 0x00]);
        var tag = Hash32.Parse("0x" + new string('a', 64));

        var confirmed = await probe.EmitPairAsync(sender, tag, pair);

        var seen = Assert.Single(confirmed.Receipt.Logs.Select(PairSeenEvent.TryDecode).OfType<PairSeenEvent>());
        Assert.Equal(tag, seen.Tag);
        AssertPair(pair, seen.Pair);
        AssertPair(pair, await probe.EchoPairAsync(pair));
        var described = await probe.DescribeAsync(-5, true, [1, 2, 3, 4]);
        Assert.Equal(("probe", -5L, true), (described.Item1, described.Item2, described.Item3));
    }

    [Fact]
    public async Task Calls_ThatRevert_ThrowDecodedCustomErrorRequireAndPanic()
    {
        var sender = Chain.Sender(anvil.Node, 2);
        var probe = await BindingsProbeContract.DeployAsync(sender, 1);

        var nope = await Assert.ThrowsAsync<ContractRevertException>(() => probe.FailNopeAsync());
        Assert.NotNull(NopeError.From(nope));
        Assert.Null(TooLowError.From(nope));

        var tooLow = await Assert.ThrowsAsync<ContractRevertException>(() => probe.SetValueAsync(sender, 3, "too low"));
        Assert.Equal(new TooLowError(3, sender.Address), TooLowError.From(tooLow));
        Assert.Equal("setValue reverted: TooLow(3, " + sender.Address + ")", tooLow.Message);

        var require = await Assert.ThrowsAsync<ContractRevertException>(() => probe.FailRequireAsync());
        Assert.Equal(("Error", "probe says no"), (require.ErrorName, (string)require.Revert.Arguments[0]));

        var panic = await Assert.ThrowsAsync<ContractRevertException>(() => probe.FailPanicAsync(0));
        Assert.Equal(("Panic", (BigInteger)0x12), (panic.ErrorName, (BigInteger)panic.Revert.Arguments[0])); // division by zero
    }

    [Fact]
    public async Task CallBatch_ManyCallsAtOneBlock_AnswersEachIncludingTheRevert()
    {
        var sender = Chain.Sender(anvil.Node, 3);
        var probe = await BindingsProbeContract.DeployAsync(sender, 77);
        var block = BlockId.AtNumber(await sender.Client.BlockNumberAsync());
        await probe.SetValueAsync(sender, 88, "later");

        var results = await sender.Client.CallBatchAsync([probe.ValueCall(), probe.SumCall([1, 2, 3]), probe.FailNopeCall(), probe.OwnerCall()], block);

        Assert.Equal((BigInteger)77, DecodeValue(results[0].GetOrThrow()));
        Assert.Equal(new SumResult(6, 3), DecodeSum(results[1].GetOrThrow()));
        Assert.False(results[2].Succeeded);
        Assert.Equal("Nope", probe.DecodeRevert(results[2].Error!.RevertData).Name);
        Assert.Equal(sender.Address, DecodeOwner(results[3].GetOrThrow()));
    }

    [Fact]
    public async Task GetLogs_NarrowWindows_SplitsTheRangeAndKeepsOrder()
    {
        var sender = Chain.Sender(anvil.Node, 4);
        var probe = await BindingsProbeContract.DeployAsync(sender, 10);
        var first = await sender.Client.BlockNumberAsync();
        for (var i = 0; i < 5; i++)
        {
            await probe.SetValueAsync(sender, 100 + i, $"n{i}");
        }

        var head = await sender.Client.BlockNumberAsync();
        var logs = await sender.Client.GetLogsAsync(new LogFilter(first, head, [probe.Address], [[ValueChangedEvent.Topic]]), maxBlockRange: 2);

        Assert.Equal(["n0", "n1", "n2", "n3", "n4"], logs.Select(l => ValueChangedEvent.TryDecode(l)!.Note));
    }

    private static void AssertPair(Pair expected, Pair actual)
    {
        Assert.Equal(expected.Who, actual.Who);
        Assert.Equal(expected.Amounts, actual.Amounts);
        Assert.Equal(expected.Blob, actual.Blob);
    }
}
