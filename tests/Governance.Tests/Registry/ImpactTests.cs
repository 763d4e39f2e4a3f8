using System.Numerics;
using System.Text.Json;
using SupplyOracle.Governance.Registry.Impact;
using SupplyOracle.Governance.Tests.Support;

namespace SupplyOracle.Governance.Tests.Registry;

/// <summary>The impact preview against what the contracts report once the change has really happened.</summary>
public sealed class ImpactTests(Deployment chain) : IClassFixture<Deployment>, IAsyncLifetime
{
    private const ulong FactorA = 500_000_000_000_000_000; // 0.5
    private const ulong FactorB = 800_000_000_000_000_000; // 0.8

    public async Task InitializeAsync()
    {
        await chain.ResetAsync();
        await chain.CommitAsync(
            (chain.TokenA.Address, await chain.Registry.OnChainCirculatingAsync(chain.TokenA.Address), FactorA),
            (chain.TokenB.Address, await chain.Registry.OnChainCirculatingAsync(chain.TokenB.Address), FactorB));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static BigInteger Big(JsonElement e) => BigInteger.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static List<BigInteger> Targets(JsonElement weights) => [.. weights.GetProperty("target").EnumerateArray().Select(Big)];

    private string[] Prices => ["--price", $"{chain.TokenA.Address}=2.5", "--price", $"{chain.TokenB.Address}=1", "--cap", "0.9"];

    [Fact]
    public async Task Impact_OfPendingAddition_EqualsTheRealChangeAfterExecutionAndTheNextCommit()
    {
        var evidence = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(evidence, "team vesting");
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "registry", "propose", "--token", chain.TokenA.Address.ToString(), "--account", Deployment.HolderA.ToString(),
            "--kind", "team", "--evidence", evidence, "--private-key-env", "OWNER_KEY", "--yes")).ExitCode);

        var preview = await CliRunner.RunAsync(chain, ["registry", "impact", "--id", "1", "--weights", chain.Weights.Address.ToString(), "--json", .. Prices]);

        Assert.Equal(0, preview.ExitCode);
        var json = preview.Json;
        var circulatingBefore = Big(json.GetProperty("circulating").GetProperty("before"));
        var circulatingAfter = Big(json.GetProperty("circulating").GetProperty("after"));
        Assert.Equal(1_000_000 * Deployment.Whole, circulatingBefore);
        Assert.Equal(400_000 * Deployment.Whole, circulatingAfter);
        var liveAfter = Big(json.GetProperty("liveFreeFloatSupply").GetProperty("after"));
        var committedNext = Big(json.GetProperty("committedFreeFloatSupply").GetProperty("afterNextCommit"));
        var weightsNow = Targets(json.GetProperty("weights").GetProperty("now"));
        var weightsNext = Targets(json.GetProperty("weights").GetProperty("afterNextCommit"));
        Assert.NotEqual(weightsNow, weightsNext);

        await chain.AdvanceAsync(Deployment.Delay);
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "registry", "execute", "--id", "1", "--private-key-env", "STRANGER_KEY", "--yes")).ExitCode);

        // Right after execution: live circulating and live free-float supply moved; the consumer still reads committed values.
        Assert.Equal(circulatingAfter, await chain.Registry.OnChainCirculatingAsync(chain.TokenA.Address));
        Assert.Equal(liveAfter, await chain.Oracle.GetFreeFloatSupplyAsync(chain.TokenA.Address));
        Assert.Equal(weightsNow, await ContractWeightsAsync());

        // The next round commits the new circulating at the same factor: committed supply and weights as projected.
        await chain.CommitAsync((chain.TokenA.Address, circulatingAfter, FactorA));
        Assert.Equal(committedNext, await chain.Oracle.CommittedFreeFloatSupplyAsync(chain.TokenA.Address));
        Assert.Equal(weightsNext, await ContractWeightsAsync());
    }

    [Fact]
    public async Task Impact_OfHypotheticalRemoval_EqualsTheRealChangeAfterExecution()
    {
        await ProposeAndExecuteAsync("--op", "add", "--kind", "bridge", "--evidence", Evidence());
        var preview = await CliRunner.RunAsync(chain, "registry", "impact", "--token", chain.TokenB.Address.ToString(), "--account", Deployment.HolderB.ToString(),
            "--op", "remove", "--json");
        Assert.Equal(0, preview.ExitCode);
        var before = Big(preview.Json.GetProperty("circulating").GetProperty("before"));
        var after = Big(preview.Json.GetProperty("circulating").GetProperty("after"));
        Assert.Equal(before + 1_000_000 * BigInteger.Pow(10, 6), after);

        await ProposeAndExecuteAsync("--op", "remove");

        Assert.Equal(after, await chain.Registry.OnChainCirculatingAsync(chain.TokenB.Address));
        Assert.Equal(Big(preview.Json.GetProperty("liveFreeFloatSupply").GetProperty("after")), await chain.Oracle.GetFreeFloatSupplyAsync(chain.TokenB.Address));
    }

    private static string Evidence()
    {
        var path = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "bridge escrow");
        return path;
    }

    private async Task ProposeAndExecuteAsync(params string[] change)
    {
        var proposed = await CliRunner.RunAsync(chain, ["registry", "propose", "--token", chain.TokenB.Address.ToString(), "--account", Deployment.HolderB.ToString(),
            .. change, "--private-key-env", "OWNER_KEY", "--yes", "--json"]);
        Assert.True(proposed.ExitCode == 0, proposed.Error);
        var id = proposed.Json.GetProperty("simulation").GetProperty("outcome").GetString()!["id=".Length..];
        await chain.AdvanceAsync(Deployment.Delay);
        var executed = await CliRunner.RunAsync(chain, "registry", "execute", "--id", id, "--private-key-env", "STRANGER_KEY", "--yes");
        Assert.True(executed.ExitCode == 0, executed.Error);
    }

    [Fact]
    public async Task Impact_OfRemovingANonExcludedAccount_ChangesNothingAndSaysSo()
    {
        var result = await CliRunner.RunAsync(chain, "registry", "impact", "--token", chain.TokenB.Address.ToString(), "--account", Deployment.HolderB.ToString(),
            "--op", "remove", "--json");

        // HolderB is not excluded: removing it changes nothing, and the preview says so rather than inventing a change.
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(result.Json.GetProperty("circulating").GetProperty("before").GetString(), result.Json.GetProperty("circulating").GetProperty("after").GetString());
        Assert.Contains("NotExcluded", result.Json.GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impact_HumanOutput_ShowsTablesWithBeforeAndAfter()
    {
        var result = await CliRunner.RunAsync(chain, ["registry", "impact", "--token", chain.TokenB.Address.ToString(), "--account", Deployment.HolderA.ToString(), .. Prices]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3,000,000 TKB -> 1,000,000 TKB (-2,000,000 TKB)", result.Output, StringComparison.Ordinal);
        var raw = await CliRunner.RunAsync(chain, ["registry", "impact", "--token", chain.TokenB.Address.ToString(), "--account", Deployment.HolderA.ToString(), "--raw", .. Prices]);
        Assert.Contains("3000000000000 (native units of TKB) -> 1000000000000 (native units of TKB)", raw.Output, StringComparison.Ordinal);
        Assert.Contains("reference consumer weights", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Impact_WithoutIdOrAccount_IsBadInput()
    {
        var result = await CliRunner.RunAsync(chain, "registry", "impact", "--token", chain.TokenA.Address.ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: --id:", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", "1")]
    [InlineData("2.5", "1")]
    [InlineData("0.001", "1000")]
    [InlineData("7", "0.0001")]
    public async Task WeightsModel_OnCommittedState_MatchesTheDeployedConsumer(string priceA, string priceB)
    {
        var tokens = new[] { chain.TokenA.Address, chain.TokenB.Address };
        var prices = new[] { Wad(priceA), Wad(priceB) };
        foreach (var cap in new[] { Wad("1"), Wad("0.6"), Wad("0.5") })
        {
            var contract = await chain.Weights.WeightsAsync(tokens, prices, [0, 0], cap);
            var states = await chain.Oracle.TokenStatesAsync(tokens);
            var inputs = new List<WeightInput>();
            for (var i = 0; i < tokens.Length; i++)
            {
                var ff = await chain.Oracle.FreeFloatFactorAsync(tokens[i]);
                inputs.Add(new WeightInput(true, ff.Frozen || ff.Stale, await chain.Oracle.CommittedFreeFloatSupplyAsync(tokens[i]), (int)states[i].Decimals, prices[i], 0));
            }

            var model = WeightsModel.Evaluate(inputs, cap);

            Assert.Equal(contract.Target, model.Target);
            Assert.Equal(contract.Halt, model.Halt);
        }
    }

    private async Task<List<BigInteger>> ContractWeightsAsync()
    {
        var result = await chain.Weights.WeightsAsync([chain.TokenA.Address, chain.TokenB.Address], [Wad("2.5"), Wad("1")], [0, 0], Wad("0.9"));
        return [.. result.Target];
    }

    private static BigInteger Wad(string text) => SupplyOracle.Governance.Cli.Session.ParseWad("--price", text);
}
