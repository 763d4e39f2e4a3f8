using SupplyOracle.Devnet.Chaos;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Tests.Chaos;

public sealed class TransmitterScanTests
{
    [Fact]
    public async Task ReadAsync_TransactionMinedAfterTheScannedHead_NotInTheNonceEither()
    {
        // Issue 24 finding: the nonce was read at "latest" after the scan, and a commit mined meanwhile made it one
        // above commits + reverted. Two transfers up to the head the scan stops at, a third mined after it.
        await using var anvil = await AnvilNode.StartAsync();
        var (from, _) = AnvilNode.DevAccounts[1];
        var to = AnvilNode.DevAccounts[2].Address;
        await anvil.SendValueAsync(from, to, 1);
        await anvil.SendValueAsync(from, to, 2);
        var head = await anvil.BlockNumberAsync();
        await anvil.SendValueAsync(from, to, 3);
        using var probe = new ChainProbe(anvil.RpcUrl);

        var account = await TransmitterScan.ReadAsync(probe, from, head, new HashSet<string>(), default);

        Assert.Equal(head, account.Head);
        Assert.Equal([0UL, 1UL], account.Transactions.Select(t => t.Nonce));
        Assert.All(account.Transactions, t => Assert.True(t.Succeeded));
        Assert.Equal(2UL, account.Nonce);
    }
}
