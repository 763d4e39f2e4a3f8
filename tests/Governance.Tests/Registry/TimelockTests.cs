using SupplyOracle.Governance.Output;
using SupplyOracle.Governance.Tests.Support;

namespace SupplyOracle.Governance.Tests.Registry;

/// <summary>The timelock paths of docs/protocol.md section 10 through the CLI: too early, expired, cancelled, executed by anyone.</summary>
public sealed class TimelockTests(Deployment chain) : IClassFixture<Deployment>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await chain.ResetAsync();
        var evidence = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(evidence, "vesting contract audit");
        var proposed = await CliRunner.RunAsync(chain, "registry", "propose", "--token", chain.TokenA.Address.ToString(), "--account", Deployment.HolderB.ToString(),
            "--kind", "vesting", "--evidence", evidence, "--private-key-env", "OWNER_KEY", "--yes");
        Assert.Equal(0, proposed.ExitCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<CliResult> ExecuteAsync(string key, params string[] extra) =>
        CliRunner.RunAsync(chain, ["registry", "execute", "--id", "1", "--private-key-env", key, "--yes", .. extra]);

    [Fact]
    public async Task Execute_BeforeEta_SaysTimelockNotElapsedWithTimeLeft()
    {
        await chain.AdvanceAsync(600);
        var proposal = await chain.Registry.ProposalAsync(1);
        var now = await chain.NowAsync();

        var result = await ExecuteAsync("OWNER_KEY", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ProposalNotReady", result.Json.GetProperty("error").GetString());
        Assert.Contains($"timelock not elapsed: proposal 1 is executable in {Printer.Duration((long)(proposal.Eta - now))}", result.Error, StringComparison.Ordinal);
        Assert.False((await chain.Registry.ExclusionAsync(chain.TokenA.Address, Deployment.HolderB)).Excluded);
    }

    [Fact]
    public async Task Execute_AfterExpiry_SaysExpired()
    {
        await chain.AdvanceAsync(Deployment.Delay + Deployment.Grace + 5);

        var pending = await CliRunner.RunAsync(chain, "registry", "pending", "--json");
        Assert.Equal("expired", Assert.Single(pending.Json.GetProperty("pending").EnumerateArray()).GetProperty("status").GetString());
        var result = await ExecuteAsync("STRANGER_KEY");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("proposal 1 expired", result.Error, StringComparison.Ordinal);
        Assert.Contains("propose it again", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ByGuardian_ThenExecuteSaysCancelled()
    {
        var cancelled = await CliRunner.RunAsync(chain, "registry", "cancel", "--id", "1", "--private-key-env", "GUARDIAN_KEY", "--yes", "--json");
        Assert.Equal(0, cancelled.ExitCode);
        Assert.Contains(cancelled.Json.GetProperty("transaction").GetProperty("events").EnumerateArray(),
            e => e.GetString() == $"ChangeCancelled(id=1, by={Deployment.Guardian.Address})");
        await chain.AdvanceAsync(Deployment.Delay);

        var result = await ExecuteAsync("OWNER_KEY");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("proposal 1 is not pending: it was cancelled", result.Error, StringComparison.Ordinal);
        Assert.False((await chain.Registry.ExclusionAsync(chain.TokenA.Address, Deployment.HolderB)).Excluded);
    }

    [Fact]
    public async Task Cancel_ByStranger_ExplainsWhoMayCancel()
    {
        var result = await CliRunner.RunAsync(chain, "registry", "cancel", "--id", "1", "--private-key-env", "STRANGER_KEY", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"wrong key: {Deployment.Stranger.Address} is neither the owner ({Deployment.Owner.Address}) nor the guardian ({Deployment.Guardian.Address})",
            result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ByStrangerAfterDelay_ExcludesTheAccount()
    {
        await chain.AdvanceAsync(Deployment.Delay);
        var pending = await CliRunner.RunAsync(chain, "registry", "pending", "--json");
        Assert.Equal("executable", Assert.Single(pending.Json.GetProperty("pending").EnumerateArray()).GetProperty("status").GetString());

        var result = await ExecuteAsync("STRANGER_KEY");

        Assert.Equal(0, result.ExitCode);
        var exclusion = await chain.Registry.ExclusionAsync(chain.TokenA.Address, Deployment.HolderB);
        Assert.True(exclusion.Excluded);
        var again = await ExecuteAsync("STRANGER_KEY");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("it was executed", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_UnknownId_SaysThereIsNone()
    {
        var result = await CliRunner.RunAsync(chain, "registry", "execute", "--id", "7", "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("there is no proposal 7", result.Error, StringComparison.Ordinal);
    }
}
