using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Support;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Contracts.Bindings.Tests.Transactions;

/// <summary>
/// A transaction the node no longer holds (neither mined nor pending) is sent again at the next poll, not after
/// StuckAfter: StuckAfter is ten minutes here, so only that rebroadcast lets these waits finish.
/// </summary>
public sealed class TransactionSenderLostTests
{
    private static readonly Address s_recipient = Address.Parse(AnvilNode.DevAccounts[9].Address);

    private static SenderOptions Options(ulong depth) => Chain.Options(depth) with { StuckAfter = TimeSpan.FromMinutes(10) };

    [Fact]
    public async Task WaitForConfirmation_RebroadcastAfterReorgRefused_SendsItAgainAndConfirms()
    {
        // The interleaving that hung under load: the waiter's rebroadcast after the reorganisation reaches anvil while
        // anvil_reorg is still rolling back, and is refused; the transaction is then neither mined nor pending.
        await using var node = await AnvilNode.StartAsync();
        var transport = new RefusingTransport(Chain.Transport(node.RpcUrl));
        var sender = new TransactionSender(new EthereumRpcClient(transport), PrivateKey.Parse(AnvilNode.DevAccounts[4].PrivateKey), Options(3));
        var pending = await sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(7), 21_000));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var wait = sender.WaitForConfirmationAsync(pending, cts.Token);
        while (pending.LastSeenReceipt is null)
        {
            await Task.Delay(20, cts.Token);
        }

        var first = pending.LastSeenReceipt;
        transport.RefuseSends = 1;
        await node.ReorgAsync(1);
        while (!wait.IsCompleted)
        {
            await Task.Delay(100, cts.Token);
            await node.MineAsync();
        }

        var confirmed = await wait;
        Assert.Equal(1, transport.Refused);
        Assert.True(confirmed.Reorganisations >= 1);
        Assert.Equal(0, confirmed.Replacements);
        Assert.Equal(pending.Attempts[0].Hash, confirmed.Receipt.TransactionHash);
        Assert.NotEqual(first.BlockHash, confirmed.Receipt.BlockHash);
        Assert.True(await sender.IsCanonicalAsync(confirmed.Receipt));
    }

    [Fact]
    public async Task WaitForConfirmation_PendingTransactionDroppedFromPool_RebroadcastsItAtOnce()
    {
        await using var node = await AnvilNode.StartAsync();
        await node.SetAutomineAsync(false);
        var sender = Chain.Sender(node, 5, Options(1));
        var pending = await sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(8), 21_000));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.RpcAsync("anvil_dropTransaction", pending.Latest.Hash.ToString());
        Assert.Null(await sender.Client.GetTransactionAsync(pending.Latest.Hash, cts.Token));

        var wait = sender.WaitForConfirmationAsync(pending, cts.Token);
        while (await sender.Client.GetTransactionAsync(pending.Latest.Hash, cts.Token) is null)
        {
            await Task.Delay(20, cts.Token); // the waiter finds it unknown and sends it again
        }

        await node.MineAsync();
        var confirmed = await wait;
        Assert.Equal(pending.Latest.Hash, confirmed.Receipt.TransactionHash);
        Assert.Equal(0, confirmed.Replacements);
        Assert.Equal(0, confirmed.Reorganisations);
    }

    [Fact]
    public async Task WaitForConfirmation_NonceTakenByAnotherTransaction_EndsWithTheReplacementsError()
    {
        // Lost and refused at every poll: the refusals do not hold StuckAfter back, so the wait ends as before.
        await using var node = await AnvilNode.StartAsync();
        await node.SetAutomineAsync(false);
        var options = Chain.Options(1) with { StuckAfter = TimeSpan.FromSeconds(1) };
        var sender = Chain.Sender(node, 6, options);
        var pending = await sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(9), 21_000));
        await node.RpcAsync("anvil_dropTransaction", pending.Latest.Hash.ToString());
        var other = await Chain.Sender(node, 6, options).SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(10), 21_000));
        Assert.Equal(pending.Nonce, other.Nonce);
        await node.MineAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<JsonRpcException>(() => sender.WaitForConfirmationAsync(pending, cts.Token));
        Assert.Null(await sender.Client.GetTransactionReceiptAsync(pending.Attempts[0].Hash, cts.Token));
    }
}
