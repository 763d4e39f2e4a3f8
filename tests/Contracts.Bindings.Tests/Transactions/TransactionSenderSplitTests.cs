using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Tests.Support;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Contracts.Bindings.Tests.Transactions;

/// <summary>The sign step and the broadcast step of <see cref="TransactionSender"/>, on a real anvil, cross-checked with cast.</summary>
public sealed class TransactionSenderSplitTests
{
    private static readonly Address s_recipient = Address.Parse(AnvilNode.DevAccounts[9].Address);

    [Fact]
    public async Task PrepareAsync_RawBytesKeptAcrossRestart_RebroadcastByteIdenticalAndConfirmed()
    {
        await using var node = await AnvilNode.StartAsync();
        var first = Chain.Sender(node, 4);
        var prepared = await first.PrepareAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(77), 21_000));
        var stored = Hex.Encode(prepared.Raw); // what a write-ahead record keeps

        Assert.Null(await first.Client.GetTransactionAsync(prepared.Hash)); // prepared, not broadcast
        Assert.Equal(prepared.Hash.ToString(), Tools.Cast("keccak", stored)); // the hash is keccak256 of the raw bytes

        var restarted = Chain.Sender(node, 4); // a fresh process: nothing in memory
        var rebuilt = SignedTransaction.Decode(Hex.Decode(stored));
        var pending = await restarted.BroadcastAsync(rebuilt);
        var confirmed = await restarted.WaitForConfirmationAsync(pending);

        Assert.Equal(prepared.Hash, confirmed.Receipt.TransactionHash);
        Assert.Equal(prepared.Raw, rebuilt.Raw);
        var onNode = await node.RpcAsync("eth_getRawTransactionByHash", prepared.Hash.ToString());
        Assert.Equal(stored, onNode.GetString());
        Assert.Equal(1UL, await restarted.Client.GetTransactionCountAsync(restarted.Address, BlockId.Latest));
    }

    [Fact]
    public async Task Track_BroadcastByCastPublish_FreshSenderFindsTheReceipt()
    {
        await using var node = await AnvilNode.StartAsync();
        var sender = Chain.Sender(node, 5);
        var prepared = await sender.PrepareAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(3), 21_000));
        Tools.Cast("publish", "--rpc-url", node.RpcUrl.ToString(), Hex.Encode(prepared.Raw)); // an independent broadcaster takes our bytes

        var confirmed = await Chain.Sender(node, 5).WaitForConfirmationAsync(Chain.Sender(node, 5).Track([prepared]));

        Assert.Equal(prepared.Hash, confirmed.Receipt.TransactionHash);
        Assert.True(confirmed.Receipt.Succeeded);
    }

    [Fact]
    public async Task PrepareAsync_TwiceWithoutBroadcast_ReservesConsecutiveNonces()
    {
        await using var node = await AnvilNode.StartAsync();
        var sender = Chain.Sender(node, 6);
        var a = await sender.PrepareAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(1), 21_000));
        var b = await sender.PrepareAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(2), 21_000));

        Assert.Equal(0UL, a.Transaction.Nonce);
        Assert.Equal(1UL, b.Transaction.Nonce);
        await sender.WaitForConfirmationAsync(await sender.BroadcastAsync(a));
        await sender.WaitForConfirmationAsync(await sender.BroadcastAsync(b));
        Assert.Equal(2UL, await sender.Client.GetTransactionCountAsync(sender.Address, BlockId.Latest));
    }

    [Fact]
    public async Task RebroadcastAsync_AlreadyMined_ReturnsFalseAndSendsNothingNew()
    {
        await using var node = await AnvilNode.StartAsync();
        var sender = Chain.Sender(node, 7);
        var pending = await sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(9), 21_000));
        await sender.WaitForConfirmationAsync(pending);

        Assert.False(await sender.RebroadcastAsync(pending));
        await node.MineAsync();
        Assert.Equal(1UL, await sender.Client.GetTransactionCountAsync(sender.Address, BlockId.Latest));
    }

    [Fact]
    public async Task WaitForConfirmation_StuckWithObserver_ObserverHearsOfReplacementBeforeTheNodeDoes()
    {
        await using var node = await AnvilNode.StartAsync();
        await node.SetAutomineAsync(false);
        var sender = Chain.Sender(node, 8, Chain.Options() with { StuckAfter = TimeSpan.FromMilliseconds(300), MaxPriorityFeePerGas = Wei.FromGwei(1) });
        var pending = await sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(1), 21_000));
        var observer = new RecordingObserver(sender.Client);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var wait = sender.WaitForConfirmationAsync(pending, observer, cts.Token);
        while (pending.Attempts.Count < 2)
        {
            await Task.Delay(50, cts.Token);
        }

        await node.MineAsync();
        var confirmed = await wait;

        var (replacement, knownToNode) = Assert.Single(observer.Replacements.Take(1));
        Assert.False(knownToNode);
        Assert.Equal(pending.Attempts[1].Hash, replacement.Hash);
        Assert.Equal(pending.Nonce, replacement.Transaction.Nonce);
        var old = (Eip1559Transaction)pending.Attempts[0].Transaction;
        var bumped = (Eip1559Transaction)replacement.Transaction;
        Assert.True(bumped.MaxPriorityFeePerGas.Value * 100 >= old.MaxPriorityFeePerGas.Value * 110); // geth/anvil replacement rule
        Assert.True(bumped.MaxFeePerGas.Value * 100 >= old.MaxFeePerGas.Value * 110);
        Assert.Contains(confirmed.Receipt.TransactionHash, pending.Attempts.Skip(1).Select(a => a.Hash));
    }

    [Fact]
    public async Task WaitForConfirmation_StuckTransactionMinedWhileItsReplacementIsPrepared_RefusalIgnoredAndTheOriginalConfirmed()
    {
        await using var node = await AnvilNode.StartAsync();
        await node.SetAutomineAsync(false);
        var sender = Chain.Sender(node, 7, Chain.Options() with { StuckAfter = TimeSpan.FromMilliseconds(300), MaxPriorityFeePerGas = Wei.FromGwei(1) });
        var pending = await sender.SendAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(1), 21_000));
        // The node mines the stuck original between the signing of its replacement and its broadcast ("nonce too low").
        var observer = new MiningObserver(node);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var confirmed = await sender.WaitForConfirmationAsync(pending, observer, cts.Token);

        Assert.Equal(1, observer.Replacements);
        Assert.Equal(pending.Attempts[0].Hash, confirmed.Receipt.TransactionHash);
        Assert.Single(pending.Attempts); // the refused replacement is not a version that could still be mined
        Assert.Equal(pending.Nonce + 1, await sender.Client.GetTransactionCountAsync(sender.Address, BlockId.Latest, cts.Token));
    }

    [Fact]
    public async Task Track_VersionsWithDifferentNonces_Throws()
    {
        await using var node = await AnvilNode.StartAsync();
        var sender = Chain.Sender(node, 2);
        var a = await sender.PrepareAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(1), 21_000));
        var b = await sender.PrepareAsync(new TransactionRequest(s_recipient, Array.Empty<byte>(), new Wei(1), 21_000));

        Assert.Throws<ArgumentException>(() => sender.Track([a, b]));
        Assert.Throws<ArgumentException>(() => sender.Track([]));
    }

    [Fact]
    public async Task BroadcastAsync_AnotherKeysTransaction_ThrowsArgumentException()
    {
        await using var node = await AnvilNode.StartAsync();
        var other = new Eip1559Transaction(31337, 0, Wei.FromGwei(1), Wei.FromGwei(10), 21_000, s_recipient, Wei.Zero, Array.Empty<byte>())
            .Sign(PrivateKey.Parse(AnvilNode.DevAccounts[3].PrivateKey));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Chain.Sender(node, 2).BroadcastAsync(other));
        Assert.Equal("signed", ex.ParamName);
    }

    private sealed class RecordingObserver(EthereumRpcClient client) : ITransactionObserver
    {
        public List<(SignedTransaction Replacement, bool KnownToNode)> Replacements { get; } = [];

        public async ValueTask ReplacingAsync(PendingTransaction pending, SignedTransaction replacement, CancellationToken cancellationToken) =>
            Replacements.Add((replacement, await client.GetTransactionAsync(replacement.Hash, cancellationToken) is not null));

        public ValueTask ReorganisedAsync(PendingTransaction pending, TransactionReceipt lost, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class MiningObserver(AnvilNode node) : ITransactionObserver
    {
        public int Replacements { get; private set; }

        public async ValueTask ReplacingAsync(PendingTransaction pending, SignedTransaction replacement, CancellationToken cancellationToken)
        {
            Replacements++;
            await node.MineAsync();
        }

        public ValueTask ReorganisedAsync(PendingTransaction pending, TransactionReceipt lost, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
