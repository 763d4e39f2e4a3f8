using System.Numerics;
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
    [InlineData("--heartbeat", "59", "heartbeat = 59s (59 s) is out of range: allowed minCommitInterval ..= reportStaleAfter / 2 (1m (60 s) ..= 12h (43200 s))")]
    [InlineData("--heartbeat", "43201", "heartbeat = 12h 1s (43201 s) is out of range: allowed minCommitInterval ..= reportStaleAfter / 2")]
    [InlineData("--supply-deviation-bps", "10001", "supplyDeviationBps = 100.01% (10001 bps) is out of range: allowed 0 ..= 10000 (100%)")]
    [InlineData("--max-report-age-blocks", "300", "maxReportAgeBlocks = 300 blocks is out of range: allowed 1 ..= 256")]
    [InlineData("--min-reporters", "2", "minReporters = 2 is out of range: allowed 1 ..= the number of reporters (1)")]
    public async Task ParamsSet_OutsideSection8_RefusedWithTheAllowedRangeBeforeSimulating(string option, string value, string message)
    {
        var result = await CliRunner.RunAsync(chain, "oracle", "params", "set", option, value, "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {option}: {message}", result.Error, StringComparison.Ordinal);
        Assert.Contains("docs/protocol.md section 8", result.Error, StringComparison.Ordinal);
        Assert.Equal(Deployment.DefaultParams, await chain.Oracle.ParamsAsync());
    }

    [Fact]
    public async Task ParamsSet_ChangeBreaksAnotherParameter_NamesBoth()
    {
        // reportStaleAfter 1 hour leaves heartbeat (12 h) above reportStaleAfter / 2.
        var result = await CliRunner.RunAsync(chain, "oracle", "params", "set", "--report-stale-after", "3600", "--max-commit-age", "3600",
            "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("heartbeat = 12h (43200 s) is out of range", result.Error, StringComparison.Ordinal);
        Assert.Contains("with this change, heartbeat = 43200 would break it", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParamsSet_SameAsCurrent_RefusedAsANoOp()
    {
        var nonce = await chain.Client.GetTransactionCountAsync(Deployment.Owner.Address, Contracts.Bindings.JsonRpc.BlockId.Latest);

        var result = await CliRunner.RunAsync(chain, "oracle", "params", "set", "--min-commit-interval", "60", "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nothing to change: minCommitInterval is already 1m (60 s); nothing was sent", result.Error, StringComparison.Ordinal);
        Assert.Equal(nonce, await chain.Client.GetTransactionCountAsync(Deployment.Owner.Address, Contracts.Bindings.JsonRpc.BlockId.Latest));
    }

    [Fact]
    public async Task ParamsShow_Table_PrintsUnits()
    {
        var result = await CliRunner.RunAsync(chain, "oracle", "params", "show");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("2% (200 bps)", result.Output, StringComparison.Ordinal); // divergenceToleranceBps
        Assert.Contains("12h (43200 s)", result.Output, StringComparison.Ordinal); // heartbeat
        Assert.Contains("30d (2592000 s)", result.Output, StringComparison.Ordinal); // maxCommitAge
        Assert.Contains("256 blocks", result.Output, StringComparison.Ordinal); // maxReportAgeBlocks
        Assert.Contains("minCommitInterval ..= reportStaleAfter / 2", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParamsSet_Receipt_NamesTheParameters()
    {
        var result = await CliRunner.RunAsync(chain, "oracle", "params", "set", "--heartbeat", "3600", "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ParamsSet(params=(roundBlocks=1, minReporters=1, divergenceToleranceBps=200,", result.Output, StringComparison.Ordinal);
        Assert.Contains("heartbeat=3600", result.Output, StringComparison.Ordinal);
        Assert.Contains("12h (43200 s) -> 1h (3600 s)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_CommittedCirculating_InWholeTokensWithSymbolOrRawOnRequest()
    {
        await chain.CommitAsync((chain.TokenB.Address, 2_500_000 * BigInteger.Pow(10, 6) + 500_000, 500_000_000_000_000_000));

        var table = await CliRunner.RunAsync(chain, "oracle", "status");
        Assert.Contains("2,500,000.5 TKB", table.Output, StringComparison.Ordinal);

        var raw = await CliRunner.RunAsync(chain, "oracle", "status", "--raw");
        Assert.Contains("2500000500000 (native units of TKB)", raw.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("2,500,000.5", raw.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pause", "GUARDIAN_KEY", "nothing to do: the oracle is already paused; nothing was sent")]
    [InlineData("unpause", "OWNER_KEY", "nothing to do: the oracle is not paused; nothing was sent")]
    public async Task PauseOrUnpause_AlreadyInThatState_RefusedBeforeSending(string command, string key, string message)
    {
        if (command == "pause")
        {
            Assert.Equal(0, (await CliRunner.RunAsync(chain, "oracle", "pause", "--private-key-env", "GUARDIAN_KEY", "--yes")).ExitCode);
        }

        var head = await chain.Client.BlockNumberAsync();
        var result = await CliRunner.RunAsync(chain, "oracle", command, "--private-key-env", key, "--yes");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Equal(head, await chain.Client.BlockNumberAsync());
    }

    [Fact]
    public async Task PauseToken_AlreadyPaused_RefusedBeforeSending()
    {
        var token = chain.TokenA.Address.ToString();
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "oracle", "pause", "--token", token, "--private-key-env", "GUARDIAN_KEY", "--yes")).ExitCode);
        var head = await chain.Client.BlockNumberAsync();

        var again = await CliRunner.RunAsync(chain, "oracle", "pause", "--token", token, "--private-key-env", "GUARDIAN_KEY", "--yes");
        var unpauseOther = await CliRunner.RunAsync(chain, "oracle", "unpause", "--token", chain.TokenB.Address.ToString(), "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains($"token {token} is already paused", again.Error, StringComparison.Ordinal);
        Assert.Equal(2, unpauseOther.ExitCode);
        Assert.Contains("is not paused", unpauseOther.Error, StringComparison.Ordinal);
        Assert.Equal(head, await chain.Client.BlockNumberAsync());
    }

    [Fact]
    public async Task Tokens_ListAddRemove_FollowTheContract()
    {
        var tokenC = await Contracts.Bindings.Bindings.TestTokenContract.DeployAsync(chain.OwnerSender, "Token C", "TKC", 8, Deployment.Owner.Address);
        var c = tokenC.Address.ToString();

        var added = await CliRunner.RunAsync(chain, "oracle", "tokens", "add", "--token", c, "--private-key-env", "OWNER_KEY", "--yes");
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains("TokenListed(token=", added.Output, StringComparison.Ordinal);
        var list = await CliRunner.RunAsync(chain, "oracle", "tokens", "list", "--json");
        var listed = list.Json.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("token").GetString() == c);
        Assert.Equal("TKC", listed.GetProperty("symbol").GetString());
        Assert.Equal(8, listed.GetProperty("decimals").GetInt32());

        var twice = await CliRunner.RunAsync(chain, "oracle", "tokens", "add", "--token", c, "--private-key-env", "OWNER_KEY", "--yes");
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("is already listed; nothing was sent", twice.Error, StringComparison.Ordinal);
        var noCode = await CliRunner.RunAsync(chain, "oracle", "tokens", "add", "--token", Deployment.HolderA.ToString(), "--private-key-env", "OWNER_KEY", "--yes");
        Assert.Equal(1, noCode.ExitCode);
        Assert.Contains("is not a token the oracle can list", noCode.Error, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync(chain, "oracle", "tokens", "remove", "--token", c, "--private-key-env", "OWNER_KEY", "--yes")).ExitCode);
        Assert.DoesNotContain(tokenC.Address, await chain.Oracle.ListedTokensAsync());
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
