using SupplyOracle.Governance.Tests.Support;

namespace SupplyOracle.Governance.Tests.Oracle;

public sealed class OracleCommandsTests(Deployment chain) : IClassFixture<Deployment>, IAsyncLifetime
{
    public Task InitializeAsync() => chain.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Status_AfterCommitAndADay_ShowsFactorAgeAndStale()
    {
        await chain.CommitAsync((chain.TokenA.Address, await chain.Registry.OnChainCirculatingAsync(chain.TokenA.Address), 250_000_000_000_000_000));

        var fresh = await CliRunner.RunAsync(chain, "oracle", "status", "--json");
        Assert.True(fresh.ExitCode == 0, fresh.Error + fresh.Output);
        var tokens = fresh.Json.GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(2, tokens.Count);
        var a = tokens.Single(t => t.GetProperty("token").GetString() == chain.TokenA.Address.ToString());
        Assert.Equal("250000000000000000", a.GetProperty("factor").GetString());
        Assert.True(a.GetProperty("initialized").GetBoolean());
        Assert.False(a.GetProperty("stale").GetBoolean());
        Assert.False(a.GetProperty("frozen").GetBoolean());
        var b = tokens.Single(t => t.GetProperty("token").GetString() == chain.TokenB.Address.ToString());
        Assert.False(b.GetProperty("initialized").GetBoolean());

        await chain.AdvanceAsync(86_400 + 10);
        var old = await CliRunner.RunAsync(chain, "oracle", "status", "--json");
        var aged = old.Json.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("token").GetString() == chain.TokenA.Address.ToString());
        Assert.True(aged.GetProperty("stale").GetBoolean());
        Assert.True(aged.GetProperty("ageSeconds").GetInt64() > 86_400);

        var table = await CliRunner.RunAsync(chain, "oracle", "status");
        Assert.Contains("0.25", table.Output, StringComparison.Ordinal);
        Assert.Contains("1d ", table.Output, StringComparison.Ordinal);
        Assert.Contains("never committed", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_OracleOrRegistryIsAnotherContract_ExitsTwoNamingTheOption()
    {
        var wrongOracle = await CliRunner.RunAsync(chain, "oracle", "status", "--oracle", chain.Registry.Address.ToString());
        Assert.Equal(2, wrongOracle.ExitCode);
        Assert.StartsWith($"error: --oracle: {chain.Registry.Address} is not a SupplyOracle (", wrongOracle.Error, StringComparison.Ordinal);

        var noCode = await CliRunner.RunAsync(chain, "oracle", "status", "--oracle", Deployment.HolderA.ToString());
        Assert.Equal(2, noCode.ExitCode);
        Assert.StartsWith($"error: --oracle: {Deployment.HolderA} is not a SupplyOracle (no contract code", noCode.Error, StringComparison.Ordinal);

        var wrongRegistry = await CliRunner.RunAsync(chain, "registry", "pending", "--registry", chain.Oracle.Address.ToString());
        Assert.Equal(2, wrongRegistry.ExitCode);
        Assert.StartsWith($"error: --registry: {chain.Oracle.Address} is not an ExcludedAddressRegistry (", wrongRegistry.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParamsSet_ByOwner_ChangesOnlyTheGivenParameters()
    {
        var result = await CliRunner.RunAsync(chain, "oracle", "params", "set", "--min-commit-interval", "120", "--max-report-age-blocks", "128",
            "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(0, result.ExitCode);
        var expected = Deployment.DefaultParams with { MinCommitInterval = 120, MaxReportAgeBlocks = 128 };
        Assert.Equal(expected, await chain.Oracle.ParamsAsync());
        var shown = await CliRunner.RunAsync(chain, "oracle", "params", "show", "--json");
        Assert.Equal(120UL, shown.Json.GetProperty("minCommitInterval").GetUInt64());
        Assert.Equal(128UL, shown.Json.GetProperty("maxReportAgeBlocks").GetUInt64());
    }

    /// <summary>Protocol 1.1 (section 8): the commit policy's two parameters go through the same path as the others.</summary>
    [Fact]
    public async Task ParamsSet_HeartbeatAndSupplyDeviation_StoredAndShown()
    {
        var result = await CliRunner.RunAsync(chain, "oracle", "params", "set", "--heartbeat", "3600", "--supply-deviation-bps", "25",
            "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Deployment.DefaultParams with { Heartbeat = 3_600, SupplyDeviationBps = 25 }, await chain.Oracle.ParamsAsync());
        var shown = await CliRunner.RunAsync(chain, "oracle", "params", "show", "--json");
        Assert.Equal(3_600UL, shown.Json.GetProperty("heartbeat").GetUInt64());
        Assert.Equal(25UL, shown.Json.GetProperty("supplyDeviationBps").GetUInt64());
        Assert.Contains("heartbeat", (await CliRunner.RunAsync(chain, "oracle", "params", "show")).Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--heartbeat", "59", "heartbeat")] // below minCommitInterval (60)
    [InlineData("--heartbeat", "43201", "heartbeat")] // above reportStaleAfter / 2
    [InlineData("--supply-deviation-bps", "10001", "supplyDeviationBps")]
    public async Task ParamsSet_CommitPolicyOutsideSection8_ShowsTheContractsVerdict(string option, string value, string name)
    {
        var result = await CliRunner.RunAsync(chain, "oracle", "params", "set", option, value, "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"invalid parameter {name} = {value}", result.Error, StringComparison.Ordinal);
        Assert.Equal(Deployment.DefaultParams, await chain.Oracle.ParamsAsync());
    }

    [Fact]
    public async Task ParamsSet_OutsideSection8_ShowsTheContractsVerdict()
    {
        var result = await CliRunner.RunAsync(chain, "oracle", "params", "set", "--max-report-age-blocks", "300", "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("invalid parameter maxReportAgeBlocks = 300", result.Error, StringComparison.Ordinal);
        Assert.Equal(Deployment.DefaultParams, await chain.Oracle.ParamsAsync());
    }

    [Theory]
    [InlineData("--min-reporters", "256")]
    [InlineData("--max-report-age-blocks", "65536")]
    public async Task ParamsSet_WiderThanTheField_IsBadInputNamingTheOption(string option, string value)
    {
        var result = await CliRunner.RunAsync(chain, "oracle", "params", "set", option, value, "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {option}:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reporters_AddListRemove_FollowTheContract()
    {
        var newcomer = Deployment.Stranger.Address.ToString();
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "oracle", "reporters", "add", "--address", newcomer, "--private-key-env", "OWNER_KEY", "--yes")).ExitCode);

        var list = await CliRunner.RunAsync(chain, "oracle", "reporters", "list", "--json");
        Assert.Equal([Deployment.Reporter.Address.ToString(), newcomer], list.Json.GetProperty("reporters").EnumerateArray().Select(e => e.GetString()));

        var twice = await CliRunner.RunAsync(chain, "oracle", "reporters", "add", "--address", newcomer, "--private-key-env", "OWNER_KEY", "--yes");
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains($"{newcomer} is already a reporter", twice.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(chain, "oracle", "reporters", "remove", "--address", newcomer, "--private-key-env", "OWNER_KEY", "--yes")).ExitCode);
        var last = await CliRunner.RunAsync(chain, "oracle", "reporters", "remove", "--address", Deployment.Reporter.Address.ToString(), "--private-key-env", "OWNER_KEY", "--yes");
        Assert.Equal(1, last.ExitCode);
        Assert.Contains("fewer than minReporters = 1", last.Error, StringComparison.Ordinal);
        Assert.Equal([Deployment.Reporter.Address], await chain.Oracle.ReportersAsync());
    }

    [Fact]
    public async Task Pause_ByGuardianUnpauseByOwner_AndWrongKeysAreExplained()
    {
        var byOwner = await CliRunner.RunAsync(chain, "oracle", "pause", "--private-key-env", "OWNER_KEY", "--yes");
        Assert.Equal(1, byOwner.ExitCode);
        Assert.Contains($"wrong key: {Deployment.Owner.Address} is not the guardian ({Deployment.Guardian.Address})", byOwner.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(chain, "oracle", "pause", "--private-key-env", "GUARDIAN_KEY", "--yes")).ExitCode);
        Assert.True(await chain.Oracle.PausedAsync());
        var status = await CliRunner.RunAsync(chain, "oracle", "status", "--json");
        Assert.True(status.Json.GetProperty("paused").GetBoolean());

        var byGuardian = await CliRunner.RunAsync(chain, "oracle", "unpause", "--private-key-env", "GUARDIAN_KEY", "--yes");
        Assert.Equal(1, byGuardian.ExitCode);
        Assert.Contains("is not the owner", byGuardian.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "oracle", "unpause", "--private-key-env", "OWNER_KEY", "--yes")).ExitCode);
        Assert.False(await chain.Oracle.PausedAsync());

        Assert.Equal(0, (await CliRunner.RunAsync(chain, "oracle", "pause", "--token", chain.TokenB.Address.ToString(), "--private-key-env", "GUARDIAN_KEY", "--yes")).ExitCode);
        Assert.True((await chain.Oracle.TokenStateAsync(chain.TokenB.Address)).Paused);
        Assert.False((await chain.Oracle.TokenStateAsync(chain.TokenA.Address)).Paused);
    }

    [Fact]
    public async Task Pause_WithKeystoreAndPasswordFile_SendsAsTheKeystoreAccount()
    {
        var keystore = Path.Combine(Path.GetTempPath(), $"keystore-{Guid.NewGuid():N}.json");
        var password = Path.Combine(Path.GetTempPath(), $"password-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(keystore, SupplyOracle.Contracts.Bindings.Keystore.KeystoreV3.Encrypt(Deployment.Guardian, "guardian pass",
            SupplyOracle.Contracts.Bindings.Keystore.KeystoreKdf.LightScrypt));
        await File.WriteAllTextAsync(password, "guardian pass\n");

        var result = await CliRunner.RunAsync(chain, "oracle", "pause", "--token", chain.TokenA.Address.ToString(), "--keystore", keystore, "--password-file", password,
            "--yes", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Deployment.Guardian.Address.ToString(), result.Json.GetProperty("from").GetString());
        Assert.True((await chain.Oracle.TokenStateAsync(chain.TokenA.Address)).Paused);
    }

    [Fact]
    public async Task Unpause_CalldataOnly_PrintsTheSelectorAndChangesNothing()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "oracle", "pause", "--private-key-env", "GUARDIAN_KEY", "--yes")).ExitCode);

        var result = await CliRunner.RunAsync(chain, "oracle", "unpause", "--calldata-only", "--from", Deployment.Owner.Address.ToString(), "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("0x3f4ba83a", result.Json.GetProperty("calldata").GetString()); // keccak256("unpause()")[0..4]
        Assert.True(await chain.Oracle.PausedAsync());
    }
}
