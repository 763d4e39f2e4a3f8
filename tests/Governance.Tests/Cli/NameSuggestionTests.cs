using SupplyOracle.Governance.Cli;
using SupplyOracle.Governance.Tests.Support;

namespace SupplyOracle.Governance.Tests.Cli;

public sealed class NameSuggestionTests
{
    [Theory]
    [InlineData("stauts", "status")]
    [InlineData("--round-blcoks", "--round-blocks")]
    [InlineData("tema", "team")]
    [InlineData("treasury", "treasury")]
    public void Nearest_Typo_FindsTheIntendedName(string typed, string expected) =>
        Assert.Equal(expected, NameSuggestion.Nearest(typed, ["status", "pause", "unpause", "--round-blocks", "--window", "team", "treasury", "burn"]));

    [Fact]
    public void Nearest_NothingClose_IsNull() => Assert.Null(NameSuggestion.Nearest("frobnicate", ["status", "pause", "params"]));

    private static Task<CliResult> RunAsync(params string[] args) => CliRunner.RunWithInputAsync(new Dictionary<string, string>(), "", args);

    [Fact]
    public async Task MistypedCommand_ExitsTwoSuggestingTheNearest()
    {
        var result = await RunAsync("oracle", "stauts");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'stauts'; did you mean 'status'?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MistypedOption_ExitsTwoSuggestingTheNearest()
    {
        var result = await RunAsync("oracle", "params", "set", "--heartbaet", "3600");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'--heartbaet'; did you mean '--heartbeat'?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MistypedKind_ExitsTwoSuggestingTheNearest()
    {
        var result = await RunAsync("registry", "propose", "--rpc", "http://127.0.0.1:1", "--registry", "0x0000000000000000000000000000000000000001", "--token",
            "0x0000000000000000000000000000000000000002", "--account", "0x0000000000000000000000000000000000000003", "--kind", "tresury");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("did you mean 'treasury'?", result.Error, StringComparison.Ordinal);
    }
}
