using SupplyOracle.Governance.Tests.Support;

namespace SupplyOracle.Governance.Tests.Roles;

public sealed class RoleCommandsTests(Deployment chain) : IClassFixture<Deployment>, IAsyncLifetime
{
    public Task InitializeAsync() => chain.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("oracle")]
    [InlineData("registry")]
    public async Task OwnerTransferAndAccept_TwoSteps_MoveTheOwnership(string contract)
    {
        var next = Deployment.Stranger.Address;

        var shown = await CliRunner.RunAsync(chain, contract, "owner", "show", "--json");
        Assert.Equal(Deployment.Owner.Address.ToString(), shown.Json.GetProperty("owner").GetString());
        Assert.Equal(Deployment.Guardian.Address.ToString(), shown.Json.GetProperty("guardian").GetString());

        var transfer = await CliRunner.RunAsync(chain, contract, "owner", "transfer", "--to", next.ToString(), "--private-key-env", "OWNER_KEY", "--yes");
        Assert.True(transfer.ExitCode == 0, transfer.Error);
        Assert.Contains("OwnershipTransferStarted(", transfer.Output, StringComparison.Ordinal);
        var pending = await CliRunner.RunAsync(chain, contract, "owner", "show", "--json");
        Assert.Equal(next.ToString(), pending.Json.GetProperty("pendingOwner").GetString());

        var wrongKey = await CliRunner.RunAsync(chain, contract, "owner", "accept", "--private-key-env", "GUARDIAN_KEY", "--yes");
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains($"wrong key: {Deployment.Guardian.Address} is not the pending owner", wrongKey.Error, StringComparison.Ordinal);

        var accept = await CliRunner.RunAsync(chain, contract, "owner", "accept", "--private-key-env", "STRANGER_KEY", "--yes");
        Assert.True(accept.ExitCode == 0, accept.Error);
        var after = await CliRunner.RunAsync(chain, contract, "owner", "show", "--json");
        Assert.Equal(next.ToString(), after.Json.GetProperty("owner").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, after.Json.GetProperty("pendingOwner").ValueKind);
    }

    [Fact]
    public async Task OwnerTransferToTheOwnerOrAcceptWithNothingPending_RefusedBeforeSending()
    {
        var head = await chain.Client.BlockNumberAsync();

        var toSelf = await CliRunner.RunAsync(chain, "oracle", "owner", "transfer", "--to", Deployment.Owner.Address.ToString(), "--private-key-env", "OWNER_KEY", "--yes");
        var accept = await CliRunner.RunAsync(chain, "registry", "owner", "accept", "--private-key-env", "STRANGER_KEY", "--yes");

        Assert.Equal(2, toSelf.ExitCode);
        Assert.Contains("is already the oracle's owner; nothing was sent", toSelf.Error, StringComparison.Ordinal);
        Assert.Equal(2, accept.ExitCode);
        Assert.Contains("no ownership transfer of the registry is pending", accept.Error, StringComparison.Ordinal);
        Assert.Equal(head, await chain.Client.BlockNumberAsync());
    }

    [Theory]
    [InlineData("oracle")]
    [InlineData("registry")]
    public async Task GuardianSet_ByOwner_ReplacesTheGuardianAndRefusesTheSameOne(string contract)
    {
        var newGuardian = Deployment.Stranger.Address.ToString();

        var set = await CliRunner.RunAsync(chain, contract, "guardian", "set", "--address", newGuardian, "--private-key-env", "OWNER_KEY", "--yes");
        Assert.True(set.ExitCode == 0, set.Error);
        Assert.Contains($"GuardianSet(previous={Deployment.Guardian.Address}, current={newGuardian})", set.Output, StringComparison.Ordinal);
        var shown = await CliRunner.RunAsync(chain, contract, "guardian", "show", "--json");
        Assert.Equal(newGuardian, shown.Json.GetProperty("guardian").GetString());

        var same = await CliRunner.RunAsync(chain, contract, "guardian", "set", "--address", newGuardian, "--private-key-env", "OWNER_KEY", "--yes");
        Assert.Equal(2, same.ExitCode);
        Assert.Contains($"{newGuardian} is already the {contract}'s guardian", same.Error, StringComparison.Ordinal);
    }
}
