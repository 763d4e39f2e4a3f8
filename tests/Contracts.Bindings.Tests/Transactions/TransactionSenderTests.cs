using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Support;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Contracts.Bindings.Tests.Transactions;

public sealed class TransactionSenderTests
{
    private static readonly Address s_recipient = Address.Parse(AnvilNode.DevAccounts[9].Address);

    [Fact]
    public async Task WaitForConfirmation_TransactionNotMined_ReplacesItWithHigherFeesAndTheReplacementIsMined()
    {
        await using var node = await AnvilNode.StartAsync();
        await node.SetAutomineAsync(false);
        var sender = Chain.Sender(node, 0, Chain.Options() with { StuckAfter = TimeSpan.FromMilliseconds(500), MaxPriorityFeePerGas = Wei.FromGwei(1) });
        var pending = await sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(1234), 21_000));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var wait = sender.WaitForConfirmationAsync(pending, cts.Token);

        while (pending.Attempts.Count < 2)
        {
            await Task.Delay(50, cts.Token);
        }

        await node.MineAsync();
        var confirmed = await wait;

        Assert.True(confirmed.Replacements >= 1);
        Assert.NotEqual(pending.Attempts[0].Hash, confirmed.Receipt.TransactionHash);
        Assert.Null(await sender.Client.GetTransactionReceiptAsync(pending.Attempts[0].Hash));
        var mined = await node.RpcAsync("eth_getTransactionByHash", confirmed.Receipt.TransactionHash.ToString());
        Assert.Equal(pending.Nonce, AnvilNode.ParseQuantity(mined.GetProperty("nonce")));
        Assert.True(AnvilNode.ParseQuantity(mined.GetProperty("maxPriorityFeePerGas")) >= 1_150_000_000);
    }

    [Fact]
    public async Task WaitForConfirmation_MinedTransactionReorganisedAway_NoticesAndConfirmsItAgain()
    {
        await using var node = await AnvilNode.StartAsync();
        var sender = Chain.Sender(node, 1, Chain.Options(depth: 3));
        var pending = await sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(5), 21_000));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        TransactionReceipt? firstReceipt;
        while ((firstReceipt = await sender.Client.GetTransactionReceiptAsync(pending.Latest.Hash, cts.Token)) is null)
        {
            await Task.Delay(20, cts.Token); // automine answers before the block is indexed
        }

        var wait = sender.WaitForConfirmationAsync(pending, cts.Token);
        while (pending.LastSeenReceipt is null)
        {
            await Task.Delay(20, cts.Token); // let the waiter see the first inclusion
        }

        Assert.Equal(firstReceipt.BlockHash, pending.LastSeenReceipt.BlockHash);

        await node.ReorgAsync(1);
        Assert.False(await sender.IsCanonicalAsync(firstReceipt));
        while (!wait.IsCompleted)
        {
            await Task.Delay(150, cts.Token);
            await node.MineAsync();
        }

        var confirmed = await wait;
        Assert.True(confirmed.Reorganisations >= 1);
        Assert.NotEqual(firstReceipt.BlockHash, confirmed.Receipt.BlockHash);
        Assert.True(await sender.IsCanonicalAsync(confirmed.Receipt));
    }

    [Fact]
    public async Task SendAsync_SeveralWithoutWaiting_UsesConsecutiveNonces()
    {
        await using var node = await AnvilNode.StartAsync();
        var sender = Chain.Sender(node, 2);
        var sent = new List<PendingTransaction>();
        for (var i = 0; i < 4; i++)
        {
            sent.Add(await sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(i + 1), 21_000)));
        }

        Assert.Equal([0UL, 1, 2, 3], sent.Select(p => p.Nonce));
        foreach (var p in sent)
        {
            Assert.True((await sender.WaitForConfirmationAsync(p)).Receipt.Succeeded);
        }

        Assert.Equal(4UL, await sender.Client.GetTransactionCountAsync(sender.Address, BlockId.Latest));
    }

    [Fact]
    public async Task SendAsync_TipAboveCeiling_ThrowsFeeCeilingExceeded()
    {
        await using var node = await AnvilNode.StartAsync();
        var sender = Chain.Sender(node, 3, Chain.Options() with { MaxPriorityFeePerGas = Wei.FromGwei(10), MaxFeePerGasCeiling = Wei.FromGwei(5) });
        var ex = await Assert.ThrowsAsync<FeeCeilingExceededException>(() => sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), Wei.Zero, 21_000)));
        Assert.Equal(Wei.FromGwei(5), ex.Ceiling);
    }

    [Fact]
    public void Validate_BumpBelowTenPercent_NamesTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => (Chain.Options() with { ReplacementBumpPercent = 5 }).Validate());
        Assert.Equal("ReplacementBumpPercent", ex.ParamName);
    }
}
