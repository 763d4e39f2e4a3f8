using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.TestSupport;
using H = SupplyOracle.Aggregator.Tests.Support.TransmissionHarness;

namespace SupplyOracle.Aggregator.Tests.Transmission;

/// <summary>What the chain does to a commit: a stuck transaction, a reorganisation, a revert (real anvil and contracts).</summary>
public sealed class RoundTransmitterChainTests(IntakeNetwork network) : IClassFixture<IntakeNetwork>
{
    [Fact]
    public async Task TransmitAsync_StuckCommit_ReplacedUnderTheCeilingWithTheSameNonceAndRecorded()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var from = await network.Network.Client.BlockNumberAsync();
        var nonceBefore = await H.MinedNonceAsync(network);
        var options = H.Options(stuckAfter: TimeSpan.FromMilliseconds(400), tip: Wei.FromGwei(1), ceiling: Wei.FromGwei(100));
        await network.Network.Node.SetAutomineAsync(false);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var transmit = H.Transmitter(network, options).TransmitAsync(report, attestations, 3, cts.Token);
            while (!(await H.EventsAsync(network, round)).Any(e => e.Type == TransmissionEventNames.TransmissionReplaced))
            {
                await Task.Delay(50, cts.Token); // nothing is mined: the commit is stuck until replaced
            }

            await network.Network.Node.MineAsync();
            Assert.Equal(TransmissionOutcome.Confirmed, await transmit);
        }
        finally
        {
            await network.Network.Node.SetAutomineAsync(true);
        }

        var events = await H.EventsAsync(network, round);
        var intended = (TransmissionIntended)events[0].Event;
        var replaced = events.Where(e => e.Type == TransmissionEventNames.TransmissionReplaced).Select(e => (TransmissionReplaced)e.Event).ToList();
        var confirmed = (RoundConfirmed)events[^1].Event;
        Assert.Equal(TransmissionEventNames.RoundConfirmed, events[^1].Type);
        Assert.Equal(intended.TransactionHash, replaced[0].Replaces);
        Assert.All(replaced, r => Assert.Equal(intended.Nonce, r.Nonce));
        Assert.True(decimal.Parse(replaced[0].MaxPriorityFeePerGas) * 100 >= decimal.Parse(intended.MaxPriorityFeePerGas) * 110);
        Assert.True(decimal.Parse(replaced[0].MaxFeePerGas) * 100 >= decimal.Parse(intended.MaxFeePerGas) * 110);
        Assert.All(replaced, r => Assert.True(decimal.Parse(r.MaxFeePerGas) <= 100_000_000_000m)); // the ceiling
        Assert.Contains(confirmed.TransactionHash, replaced.Select(r => r.TransactionHash));
        Assert.Equal(replaced.Count, confirmed.Replacements);
        Assert.Equal(nonceBefore + 1, await H.MinedNonceAsync(network));
        Assert.Equal(1, await H.CommitsOnChainAsync(network, from, round));
    }

    [Fact]
    public async Task TransmitAsync_CommitReorganisedAway_RecordedSentAgainAndConfirmed()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var nonceBefore = await H.MinedNonceAsync(network);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var transmit = H.Transmitter(network, H.Options(depth: 4)).TransmitAsync(report, attestations, 3, cts.Token);
        TransmissionIntended? intended = null;
        while (intended is null)
        {
            await Task.Delay(20, cts.Token);
            intended = (await H.EventsAsync(network, round)).Select(e => e.Event).OfType<TransmissionIntended>().FirstOrDefault();
        }

        var first = await network.Network.Node.WaitForReceiptAsync(intended.TransactionHash); // automine: in a block of its own
        var firstBlock = first.GetProperty("blockHash").GetString()!;
        await Task.Delay(1_000, cts.Token); // the waiter (polling every 20 ms) has seen it, even on a loaded machine at depth 1 of 4

        await network.Network.Node.ReorgAsync(1);
        while (!transmit.IsCompleted)
        {
            await Task.Delay(100, cts.Token);
            await network.Network.Node.MineAsync();
        }

        Assert.Equal(TransmissionOutcome.Confirmed, await transmit);
        var events = await H.EventsAsync(network, round);
        var reorganised = Assert.IsType<TransmissionReorganised>(events.Single(e => e.Type == TransmissionEventNames.TransmissionReorganised).Event);
        Assert.Equal(intended.TransactionHash, reorganised.TransactionHash);
        Assert.Equal(firstBlock, reorganised.BlockHash);
        var confirmed = Assert.IsType<RoundConfirmed>(events[^1].Event);
        Assert.Equal(intended.TransactionHash, confirmed.TransactionHash); // the same signed transaction
        Assert.NotEqual(firstBlock, confirmed.BlockHash);
        Assert.Equal(round, await network.Network.Oracle.LastRoundAsync());
        Assert.Equal(nonceBefore + 1, await H.MinedNonceAsync(network));
    }

    [Fact]
    public async Task TransmitAsync_ReorganisationReplacesTheReferenceBlock_RecordsFailedWithReferenceHashMismatch()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (round, referenceBlock, commitBlock, transmit) = await CommitMinedAsync(cts.Token);
        // Replace every block from B_r on; a transfer in the first new block makes B_r's hash differ from the signed one.
        var other = new TransactionSender(network.Network.Client, PrivateKey.Parse(AnvilNode.DevAccounts[8].PrivateKey), H.Options());
        var transfer = await other.PrepareAsync(new TransactionRequest(H.SenderAddress, Array.Empty<byte>(), new Wei(1), 21_000));
        await network.Network.Node.RpcAsync("anvil_reorg", commitBlock - referenceBlock + 1, new object[] { new object[] { Hex.Encode(transfer.Raw), 0 } });
        await AssertFailedAfterReorganisationAsync(round, transmit, cts.Token);
    }

    [Fact]
    public async Task TransmitAsync_ReorganisedOntoAShorterBranch_WaitsForTheChainToPassTheReferenceBlockThenRecordsFailed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var (round, referenceBlock, commitBlock, transmit) = await CommitMinedAsync(cts.Token);
        // The node switches to a branch that ends before B_r: the commit is gone, and not yet refused either (on this branch
        // it would revert ReferenceBlockNotPast, which a few more blocks cure).
        await network.Network.Node.RpcAsync("anvil_rollback", commitBlock - referenceBlock + 1);
        Assert.Equal(referenceBlock - 1, await network.Network.Client.BlockNumberAsync());
        await Task.Delay(1_000, cts.Token); // fifty polls of the waiter on the short branch
        Assert.False(transmit.IsCompleted, $"decided on a branch that has not reached B_r: {(transmit.IsCompleted ? await transmit : default)}");
        Assert.Equal(referenceBlock - 1, await network.Network.Client.BlockNumberAsync()); // and sent nothing meanwhile

        // The branch grows past B_r with another block at B_r (a transfer in it): now the commit is refused for good.
        var other = new TransactionSender(network.Network.Client, PrivateKey.Parse(AnvilNode.DevAccounts[8].PrivateKey), H.Options());
        await other.SendAsync(new TransactionRequest(H.SenderAddress, Array.Empty<byte>(), new Wei(1), 21_000), cts.Token);
        await AssertFailedAfterReorganisationAsync(round, transmit, cts.Token);
        // Nothing of the sender's is left in the pool for the next test (a rolled-back transaction can return to it).
        while (await network.Network.Client.GetTransactionCountAsync(H.SenderAddress, BlockId.Pending, cts.Token)
               != await network.Network.Client.GetTransactionCountAsync(H.SenderAddress, BlockId.Latest, cts.Token))
        {
            await network.Network.Node.MineAsync();
        }
    }

    [Fact]
    public async Task TransmitAsync_EstimationReverts_RecordsFailedWithTheDecodedErrorAndSendsNothing()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var nonceBefore = await H.MinedNonceAsync(network);
        await network.Network.Oracle.PauseAsync(network.Network.Owner);
        try
        {
            Assert.Equal(TransmissionOutcome.Failed, await H.Transmitter(network).TransmitAsync(report, attestations, 3, default));
            Assert.Equal(TransmissionOutcome.Failed, await H.Transmitter(network).TransmitAsync(report, attestations, 3, default)); // settled
        }
        finally
        {
            await network.Network.Oracle.UnpauseAsync(network.Network.Owner);
        }

        var events = await H.EventsAsync(network, round);
        var failed = Assert.IsType<RoundFailed>(Assert.Single(events).Event);
        Assert.Equal(nameof(TransmissionFailureStage.Estimation), failed.Stage);
        Assert.Equal("Paused", failed.Error);
        Assert.Null(failed.TransactionHash);
        Assert.Equal(nonceBefore, await H.MinedNonceAsync(network));
    }

    [Fact]
    public async Task TransmitAsync_RecordedCommitRevertsWhenMined_RecordsFailedOnceWithTheDecodedError()
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var nonceBefore = await H.MinedNonceAsync(network);
        var recorded = await H.RecordIntentAsync(network, report, attestations, H.Sender(network)); // estimated while valid; then the crash
        await network.Network.Oracle.PauseAsync(network.Network.Owner);
        try
        {
            Assert.Equal(TransmissionOutcome.Failed, await H.Transmitter(network).TransmitAsync(report, attestations, 3, default));
        }
        finally
        {
            await network.Network.Oracle.UnpauseAsync(network.Network.Owner);
        }

        var receipt = await network.Network.Client.GetTransactionReceiptAsync(recorded.Hash);
        Assert.NotNull(receipt);
        Assert.False(receipt.Succeeded); // mined with status 0: the recorded bytes were sent, not re-estimated
        var events = await H.EventsAsync(network, round);
        Assert.Equal([TransmissionEventNames.TransmissionIntended, TransmissionEventNames.RoundFailed], events.Select(e => e.Type));
        var failed = (RoundFailed)events[1].Event;
        Assert.Equal(nameof(TransmissionFailureStage.Mined), failed.Stage);
        Assert.Equal("Paused", failed.Error);
        Assert.Equal(recorded.Hash.ToString(), failed.TransactionHash);
        Assert.Equal(receipt.BlockNumber, failed.BlockNumber);
        Assert.Equal(nonceBefore + 1, await H.MinedNonceAsync(network));
        Assert.True(await network.Network.Oracle.LastRoundAsync() < round);
    }

    /// <summary>Starts the transmission of the next round and returns once its commit is mined and the waiter has seen it.</summary>
    private async Task<(ulong Round, ulong ReferenceBlock, ulong CommitBlock, Task<TransmissionOutcome> Transmit)> CommitMinedAsync(CancellationToken cancellationToken)
    {
        var (report, attestations) = await H.NextRoundAsync(network);
        var round = report.Header.Round.Value;
        var transmit = H.Transmitter(network, H.Options(depth: 8)).TransmitAsync(report, attestations, 3, cancellationToken);
        TransmissionIntended? intended = null;
        while (intended is null)
        {
            await Task.Delay(20, cancellationToken);
            intended = (await H.EventsAsync(network, round)).Select(e => e.Event).OfType<TransmissionIntended>().FirstOrDefault();
        }

        var mined = await network.Network.Node.WaitForReceiptAsync(intended.TransactionHash);
        await Task.Delay(1_000, cancellationToken); // the waiter (polling every 20 ms) has seen it, even on a loaded machine
        return (round, round * IntakeNetwork.RoundBlocks, AnvilNode.ParseQuantity(mined.GetProperty("blockNumber")), transmit);
    }

    /// <summary>Mines until the transmission ends, then checks it ended failed, refused for B_r's changed hash, after a reorganisation.</summary>
    private async Task AssertFailedAfterReorganisationAsync(ulong round, Task<TransmissionOutcome> transmit, CancellationToken cancellationToken)
    {
        while (!transmit.IsCompleted)
        {
            await Task.Delay(100, cancellationToken);
            await network.Network.Node.MineAsync();
        }

        Assert.Equal(TransmissionOutcome.Failed, await transmit);
        var events = await H.EventsAsync(network, round);
        Assert.Contains(TransmissionEventNames.TransmissionReorganised, events.Select(e => e.Type));
        var failed = Assert.IsType<RoundFailed>(events[^1].Event);
        Assert.Equal("ReferenceHashMismatch", failed.Error);
        Assert.Equal(nameof(TransmissionFailureStage.Reorganised), failed.Stage); // decided before sending it again
        Assert.True(await network.Network.Oracle.LastRoundAsync() < round);
    }
}
