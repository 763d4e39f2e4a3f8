using System.Numerics;
using System.Text;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Governance.Tests.Support;

namespace SupplyOracle.Governance.Tests.Registry;

public sealed class RegistryCommandsTests(Deployment chain) : IClassFixture<Deployment>, IAsyncLifetime
{
    public Task InitializeAsync() => chain.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private string[] Propose(string evidence, params string[] extra) =>
    [
        "registry", "propose", "--token", chain.TokenA.Address.ToString(), "--account", Deployment.HolderA.ToString(), "--kind", "treasury",
        "--evidence", evidence, .. extra,
    ];

    private static string EvidenceFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Propose_WithOwnerKeyAndYes_StoresKindAndEvidenceHash()
    {
        var evidence = EvidenceFile("Treasury multisig, see governance post 42");

        var result = await CliRunner.RunAsync(chain, Propose(evidence, "--private-key-env", "OWNER_KEY", "--yes", "--json"));

        Assert.Equal(0, result.ExitCode);
        var expectedHash = Keccak256.Hash(File.ReadAllBytes(evidence));
        Assert.Equal(expectedHash.ToString(), result.Json.GetProperty("details").GetProperty("evidence keccak256").GetString());
        Assert.Equal("id=1", result.Json.GetProperty("simulation").GetProperty("outcome").GetString());
        var proposal = await chain.Registry.ProposalAsync(1);
        Assert.Equal(expectedHash, proposal.Evidence);
        Assert.Equal("treasury", Encoding.ASCII.GetString(proposal.Kind.ToArray()).TrimEnd('\0'));
        Assert.Equal(1UL, proposal.State);
        Assert.Contains(result.Json.GetProperty("transaction").GetProperty("events").EnumerateArray(), e => e.GetString()!.StartsWith("ChangeProposed(id=1", StringComparison.Ordinal));
        var block = await chain.Client.GetBlockAsync(Contracts.Bindings.JsonRpc.BlockId.AtNumber(result.Json.GetProperty("transaction").GetProperty("block").GetUInt64()));
        Assert.Equal(block!.Timestamp + Deployment.Delay, proposal.Eta);
    }

    [Fact]
    public async Task Propose_AnswerNo_SendsNothingAndFails()
    {
        var result = await CliRunner.RunWithInputAsync(chain, "n\n", Propose(EvidenceFile("x"), "--private-key-env", "OWNER_KEY"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not confirmed", result.Error, StringComparison.Ordinal);
        Assert.Equal(BigInteger.Zero, await chain.Registry.ProposalCountAsync());
    }

    [Fact]
    public async Task Propose_AnswerYes_Sends()
    {
        var result = await CliRunner.RunWithInputAsync(chain, "y\n", Propose(EvidenceFile("x"), "--private-key-env", "OWNER_KEY"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Send propose as a transaction? [y/N]", result.Error, StringComparison.Ordinal);
        Assert.Contains("ChangeProposed", result.Output, StringComparison.Ordinal);
        Assert.Equal(BigInteger.One, await chain.Registry.ProposalCountAsync());
    }

    [Fact]
    public async Task Propose_CalldataOnly_PrintsCalldataThatWorksWhenTheOwnerSendsIt()
    {
        var result = await CliRunner.RunAsync(chain, Propose(EvidenceFile("doc"), "--calldata-only", "--from", Deployment.Owner.Address.ToString(), "--json"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(BigInteger.Zero, await chain.Registry.ProposalCountAsync());
        var calldata = result.Json.GetProperty("calldata").GetString()!;
        Assert.Equal(chain.Registry.Address.ToString(), result.Json.GetProperty("to").GetString());
        // The owner (a multisig or timelock in production; an unlocked anvil account here) sends the bytes as printed.
        var hash = await chain.Node.RpcAsync("eth_sendTransaction", new Dictionary<string, string>
        {
            ["from"] = Deployment.Owner.Address.ToString(),
            ["to"] = chain.Registry.Address.ToString(),
            ["data"] = calldata,
        });
        await chain.Node.WaitForReceiptAsync(hash.GetString()!);
        Assert.Equal(BigInteger.One, await chain.Registry.ProposalCountAsync());
    }

    [Fact]
    public async Task Propose_CalldataOnly_EqualsCastsEncodingOfKindEvidenceAndCall()
    {
        var evidence = EvidenceFile("Bridge escrow attestation, block 19000000");

        var result = await CliRunner.RunAsync(chain, Propose(evidence, "--calldata-only", "--from", Deployment.Owner.Address.ToString()));

        Assert.Equal(0, result.ExitCode);
        var kind = await Cast.RunAsync("format-bytes32-string", "treasury");
        var hash = await Cast.RunAsync("keccak", Hex.Encode(File.ReadAllBytes(evidence)));
        var expected = await Cast.RunAsync("calldata", "propose(address,address,uint8,bytes32,bytes32)", chain.TokenA.Address.ToString(),
            Deployment.HolderA.ToString(), "0", kind, hash);
        // One unwrapped line, so the calldata survives copy and paste into a multisig UI.
        Assert.Contains($"{Environment.NewLine}calldata: {expected}{Environment.NewLine}", result.Output, StringComparison.Ordinal);
        Assert.Contains(hash, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Propose_CalldataOnlyWithoutKeyOrFrom_IsBadInputNamingFrom()
    {
        var result = await CliRunner.RunAsync(chain, Propose(EvidenceFile("doc"), "--calldata-only"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--from", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Propose_WithStrangerKey_ExplainsWrongKeyAndSendsNothing()
    {
        var result = await CliRunner.RunAsync(chain, Propose(EvidenceFile("x"), "--private-key-env", "STRANGER_KEY", "--yes"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"wrong key: {Deployment.Stranger.Address} is not the owner (the owner is {Deployment.Owner.Address})", result.Error, StringComparison.Ordinal);
        Assert.Equal(BigInteger.Zero, await chain.Registry.ProposalCountAsync());
    }

    [Theory]
    [InlineData("--kind", "cold-wallet")]
    [InlineData("--evidence", "/nonexistent/evidence.pdf")]
    [InlineData("--token", "0x12")]
    public async Task Propose_BadOption_ExitsTwoNamingTheOption(string option, string value)
    {
        var args = Propose(EvidenceFile("x"), "--private-key-env", "OWNER_KEY", "--yes").ToList();
        args[args.IndexOf(option) + 1] = value;

        var result = await CliRunner.RunAsync(chain, [.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"error: {option}:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Propose_RemovalOfNonExcluded_RefusedAsANoOp()
    {
        var result = await CliRunner.RunAsync(chain, "registry", "propose", "--op", "remove", "--token", chain.TokenA.Address.ToString(), "--account",
            Deployment.HolderB.ToString(), "--private-key-env", "OWNER_KEY", "--yes", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("bad-input", result.Json.GetProperty("error").GetString());
        Assert.Contains($"nothing to do: {Deployment.HolderB} is not excluded for token {chain.TokenA.Address}", result.Error, StringComparison.Ordinal);
        Assert.Equal(BigInteger.Zero, await chain.Registry.ProposalCountAsync());
    }

    [Fact]
    public async Task ListPendingHistory_AfterProposeExecuteAndCancel_ShowEveryStep()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(chain, Propose(EvidenceFile("a"), "--private-key-env", "OWNER_KEY", "--yes"))).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "registry", "propose", "--token", chain.TokenB.Address.ToString(), "--account", Deployment.HolderB.ToString(),
            "--kind", "vesting", "--evidence", EvidenceFile("b"), "--private-key-env", "OWNER_KEY", "--yes")).ExitCode);

        var pending = await CliRunner.RunAsync(chain, "registry", "pending", "--json");
        Assert.Equal(0, pending.ExitCode);
        var rows = pending.Json.GetProperty("pending").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("waiting", r.GetProperty("status").GetString()));
        Assert.Equal("vesting", rows[1].GetProperty("kind").GetString());

        await chain.AdvanceAsync(Deployment.Delay);
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "registry", "execute", "--id", "1", "--private-key-env", "STRANGER_KEY", "--yes")).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "registry", "cancel", "--id", "2", "--private-key-env", "GUARDIAN_KEY", "--yes")).ExitCode);

        var list = await CliRunner.RunAsync(chain, "registry", "list", "--json");
        var excluded = Assert.Single(list.Json.GetProperty("excluded").EnumerateArray());
        Assert.Equal(chain.TokenA.Address.ToString(), excluded.GetProperty("token").GetString());
        Assert.Equal(Deployment.HolderA.ToString(), excluded.GetProperty("account").GetString());
        Assert.Equal("treasury", excluded.GetProperty("kind").GetString());

        var history = await CliRunner.RunAsync(chain, "registry", "history", "--json");
        var events = history.Json.GetProperty("history").EnumerateArray().Select(e => $"{e.GetProperty("event").GetString()} {e.GetProperty("id").GetString()}").ToList();
        Assert.Equal(["proposed 1", "proposed 2", "executed 1", "cancelled 2"], events);

        var table = await CliRunner.RunAsync(chain, "registry", "list");
        Assert.Contains("treasury", table.Output, StringComparison.Ordinal);
        Assert.Contains(Deployment.HolderA.ToString(), table.Output, StringComparison.Ordinal);
        Assert.Empty((await CliRunner.RunAsync(chain, "registry", "pending", "--json")).Json.GetProperty("pending").EnumerateArray());
    }

    [Fact]
    public async Task Propose_Receipt_DecodesKindOpAndDates()
    {
        var result = await CliRunner.RunAsync(chain, "registry", "propose", "--token", chain.TokenA.Address.ToString(), "--account", Deployment.HolderA.ToString(),
            "--kind", "team", "--evidence", EvidenceFile("team wallet"), "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(0, result.ExitCode);
        var proposal = await chain.Registry.ProposalAsync(1);
        var eta = DateTimeOffset.FromUnixTimeSeconds((long)proposal.Eta).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("op=add, kind=team,", result.Output, StringComparison.Ordinal);
        Assert.Contains($"eta={eta}", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("kind=0x", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Propose_AddAnAlreadyExcludedAccount_RefusedBeforeSending()
    {
        Assert.Equal(0, (await CliRunner.RunAsync(chain, Propose(EvidenceFile("x"), "--private-key-env", "OWNER_KEY", "--yes"))).ExitCode);
        await chain.AdvanceAsync(Deployment.Delay + 1);
        Assert.Equal(0, (await CliRunner.RunAsync(chain, "registry", "execute", "--id", "1", "--private-key-env", "OWNER_KEY", "--yes")).ExitCode);

        var again = await CliRunner.RunAsync(chain, Propose(EvidenceFile("y"), "--private-key-env", "OWNER_KEY", "--yes"));
        var removeOther = await CliRunner.RunAsync(chain, "registry", "propose", "--token", chain.TokenA.Address.ToString(), "--account", Deployment.HolderB.ToString(),
            "--op", "remove", "--private-key-env", "OWNER_KEY", "--yes");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains($"nothing to do: {Deployment.HolderA} is already excluded for token {chain.TokenA.Address} (kind treasury); nothing was sent", again.Error,
            StringComparison.Ordinal);
        Assert.Equal(2, removeOther.ExitCode);
        Assert.Contains("is not excluded for token", removeOther.Error, StringComparison.Ordinal);
        Assert.Equal(BigInteger.One, await chain.Registry.ProposalCountAsync());
    }

    [Fact]
    public async Task Propose_TokenNotListedOrWithoutCode_Warns()
    {
        var unlisted = await Contracts.Bindings.Bindings.TestTokenContract.DeployAsync(chain.OwnerSender, "Token U", "TKU", 18, Deployment.Owner.Address);
        string[] Args(string token) =>
            ["registry", "propose", "--token", token, "--account", Deployment.HolderA.ToString(), "--kind", "other", "--evidence", EvidenceFile("e"),
                "--calldata-only", "--from", Deployment.Owner.Address.ToString()];

        var notListed = await CliRunner.RunAsync(chain, Args(unlisted.Address.ToString()));
        var noCode = await CliRunner.RunAsync(chain, Args(Deployment.HolderB.ToString()));
        var listed = await CliRunner.RunAsync(chain, Args(chain.TokenA.Address.ToString()));

        Assert.Equal(0, notListed.ExitCode);
        Assert.Contains($"warning: --token {unlisted.Address} is not listed by the oracle", notListed.Error, StringComparison.Ordinal);
        Assert.Equal(0, noCode.ExitCode);
        Assert.Contains($"warning: --token {Deployment.HolderB} has no contract code", noCode.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", listed.Error, StringComparison.Ordinal);
    }
}
