using System.Text;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Devnet.Monitoring;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Tests.Monitoring;

/// <summary>The governance panel's source against a real anvil: events sent by anyone, not the devnet's own notes.</summary>
public sealed class GovernanceEventsTests
{
    private static PrivateKey Key(int index) => PrivateKey.Parse(AnvilNode.DevAccounts[index].PrivateKey);

    private static TransactionSender Sender(EthereumRpcClient client, PrivateKey key) => new(client, key, new SenderOptions
    {
        MaxFeePerGasCeiling = Wei.FromGwei(500),
        ConfirmationDepth = 1,
        PollInterval = TimeSpan.FromMilliseconds(50),
    });

    [Fact]
    public async Task ReadAsync_EveryKindOfGovernanceChange_DescribedInBlockOrder()
    {
        await using var node = await AnvilNode.StartAsync();
        var client = EthereumRpcClient.Connect(node.RpcUrl);
        var (owner, guardian, stranger, reporter) = (Key(0), Key(1), Key(2), Key(3));
        var o = Sender(client, owner);
        var g = Sender(client, guardian);
        var registry = await ExcludedAddressRegistryContract.DeployAsync(o, owner.Address, guardian.Address, 3600, 86_400);
        var parameters = new SupplyOracleContract.Params(1, 1, 200, 60, 1000, 86_400, 2500, 86_400, 30 * 86_400, 256, 43_200, 50);
        var oracle = await SupplyOracleContract.DeployAsync(o, owner.Address, guardian.Address, registry.Address, [reporter.Address], parameters);
        var token = await TestTokenContract.DeployAsync(o, "Aurum", "AUR", 18, owner.Address);

        await oracle.ListTokenAsync(o, token.Address);
        await oracle.SetParamsAsync(o, parameters with { Heartbeat = 3600 });
        await oracle.AddReporterAsync(o, stranger.Address);
        await oracle.PauseTokenAsync(g, token.Address);
        await oracle.PauseAsync(g);
        await oracle.UnpauseAsync(o);
        await oracle.SetGuardianAsync(o, stranger.Address);
        var kind = new Hash32(Encoding.ASCII.GetBytes("exchange-cold").Concat(new byte[32 - 13]).ToArray());
        await registry.ProposeAsync(o, token.Address, reporter.Address, 0, kind, default);
        await registry.CancelAsync(g, 1);
        await registry.SetDelayAsync(o, 7200);
        await registry.TransferOwnershipAsync(o, stranger.Address);

        var events = await GovernanceEvents.ReadAsync(client, oracle.Address, registry.Address, 0, await client.BlockNumberAsync(),
            a => a == token.Address ? "AUR" : a.ToString(), CancellationToken.None);
        var texts = events.Select(e => e.Text).ToList();

        // The constructors' own events come first (guardians, the first reporter, the first parameters).
        Assert.Contains(texts, t => t.StartsWith("registry: guardian 0x0000", StringComparison.Ordinal));
        string[] expected =
        [
            "oracle: AUR listed (18 decimals)",
            "oracle: parameters set: roundBlocks 1, minReporters 1,",
            "oracle: reporter 0x3C44…93BC added",
            "oracle: AUR PAUSED by the guardian",
            "oracle: PAUSED by the guardian",
            "oracle: unpaused by the owner",
            "oracle: guardian 0x7099…79C8 -> 0x3C44…93BC",
            "registry: queued #1 add AUR 0x90F7…b906 exchange-cold, eta ",
            "registry: cancelled #1 by 0x7099…79C8",
            "registry: timelock delay set to 2h 00m",
            "registry: ownership transfer to 0x3C44…93BC started",
        ];
        var tail = texts.Skip(texts.FindIndex(t => t.StartsWith("oracle: AUR listed", StringComparison.Ordinal))).ToList();
        Assert.Equal(expected.Length, tail.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i], tail[i], StringComparison.Ordinal);
        }

        Assert.Contains("heartbeat 1h 00m", tail[1], StringComparison.Ordinal);
        Assert.Equal(events.OrderBy(e => e.Block).ThenBy(e => e.LogIndex), events);
    }
}
