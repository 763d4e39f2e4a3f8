using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Aggregator.Transmission.Internal;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;

namespace SupplyOracle.Aggregator.Transmission;

public sealed partial class RoundTransmitter
{
    private const string RoundNotIncreasing = "RoundNotIncreasing";
    private const string ReferenceBlockNotPast = "ReferenceBlockNotPast";

    /// <summary>
    /// Finishes a recorded transmission (issue 9: "resumes from the log without a second transmission of a round"): one of
    /// our versions mined → wait for its depth; none mined and <c>lastRound &gt;= r</c> → superseded; none mined and the
    /// round open → broadcast the last recorded version again, byte for byte (same nonce), and wait.
    /// </summary>
    private async Task<TransmissionOutcome> ResumeAsync(ulong round, string stream, TransmissionRecord record, CancellationToken cancellationToken)
    {
        if (record.Versions[0].From != _sender.Address)
        {
            // Replicas share one transaction key (one nonce sequence); another key cannot replace or re-sign this transaction.
            throw new TransmissionRecordException(stream, record.Versions[0].Hash.ToString(),
                $"signed by {record.Versions[0].From}, but this transmitter sends from {_sender.Address}", null);
        }

        var pending = _sender.Track(record.Versions);
        Log.Resuming(_logger, round, pending.Latest.Hash.ToString(), pending.Nonce, pending.Attempts.Count);
        if (await FindMinedAsync(pending, cancellationToken).ConfigureAwait(false) is null)
        {
            var lastRound = await _oracle.LastRoundAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (lastRound >= round)
            {
                return await SupersededAsync(round, stream, lastRound, cancellationToken).ConfigureAwait(false);
            }

            if (_alarm is not null)
            {
                await _alarm.CheckAsync(pending.Latest.Transaction.GasLimit, cancellationToken).ConfigureAwait(false);
            }

            if (!await _sender.RebroadcastAsync(pending, cancellationToken).ConfigureAwait(false)
                && await NonceConsumedElsewhereAsync(pending, cancellationToken).ConfigureAwait(false))
            {
                // The refusal is read from chain state, never from the node's message: our nonce is used and none of our
                // versions holds it. The round can only be committed with another nonce, which this transmitter never uses.
                lastRound = await _oracle.LastRoundAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return lastRound >= round
                    ? await SupersededAsync(round, stream, lastRound, cancellationToken).ConfigureAwait(false)
                    : await FailedAsync(round, stream, new RoundFailed(round, nameof(TransmissionFailureStage.NonceConsumed), null,
                        $"nonce {pending.Nonce} of {_sender.Address} was used by another transaction", pending.Latest.Hash.ToString()),
                        TransmissionFailureStage.NonceConsumed, cancellationToken).ConfigureAwait(false);
            }
        }

        return await AwaitAsync(round, stream, pending, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TransmissionOutcome> AwaitAsync(ulong round, string stream, PendingTransaction pending, CancellationToken cancellationToken)
    {
        ConfirmedTransaction confirmed;
        try
        {
            confirmed = await _sender.WaitForConfirmationAsync(pending, new CommitObserver(this, round, stream), cancellationToken).ConfigureAwait(false);
        }
        catch (TransactionRevertedException ex)
        {
            var mined = pending.Attempts.First(a => a.Hash == ex.Receipt.TransactionHash);
            var revert = await ReplayAsync(mined, BlockId.AtNumber(ex.Receipt.BlockNumber), cancellationToken).ConfigureAwait(false);
            return await RevertedAsync(round, stream, TransmissionFailureStage.Mined, revert, mined.Hash.ToString(), ex.Receipt.BlockNumber, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (CommitWouldRevertException ex)
        {
            return await RevertedAsync(round, stream, TransmissionFailureStage.Reorganised, ex.Revert, ex.TransactionHash, null, cancellationToken)
                .ConfigureAwait(false);
        }

        var receipt = confirmed.Receipt;
        _alarm?.RecordGasUsed(receipt.GasUsed);
        await AppendAsync(stream, new RoundConfirmed(round, receipt.TransactionHash.ToString(), receipt.BlockNumber, receipt.GasUsed, pending.Attempts.Count - 1,
            receipt.BlockHash.ToString(), pending.Nonce, confirmed.Reorganisations), cancellationToken).ConfigureAwait(false);
        Log.Confirmed(_logger, round, receipt.TransactionHash.ToString(), receipt.BlockNumber);
        AggregatorTelemetry.Transmissions.Add(1, new KeyValuePair<string, object?>("supplyoracle.outcome", "confirmed"));
        return TransmissionOutcome.Confirmed;
    }

    /// <summary>A revert of <c>RoundNotIncreasing</c> means another commit of the round (or a later one) won: superseded, not failed.</summary>
    private async Task<TransmissionOutcome> RevertedAsync(ulong round, string stream, TransmissionFailureStage stage, DecodedRevert revert, string? hash,
        ulong? block, CancellationToken cancellationToken)
    {
        if (revert.Name == RoundNotIncreasing)
        {
            var lastRound = await _oracle.LastRoundAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return await SupersededAsync(round, stream, lastRound, cancellationToken).ConfigureAwait(false);
        }

        return await FailedAsync(round, stream, new RoundFailed(round, stage.ToString(), revert.Name, revert.ToString(), hash, block), stage, cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<TransactionReceipt?> FindMinedAsync(PendingTransaction pending, CancellationToken cancellationToken)
    {
        foreach (var version in pending.Attempts)
        {
            var receipt = await _sender.Client.GetTransactionReceiptAsync(version.Hash, cancellationToken).ConfigureAwait(false);
            if (receipt is not null && await _sender.IsCanonicalAsync(receipt, cancellationToken).ConfigureAwait(false))
            {
                return receipt;
            }
        }

        return null;
    }

    private async Task<bool> NonceConsumedElsewhereAsync(PendingTransaction pending, CancellationToken cancellationToken)
    {
        var next = await _sender.Client.GetTransactionCountAsync(_sender.Address, BlockId.Latest, cancellationToken).ConfigureAwait(false);
        return next > pending.Nonce && await FindMinedAsync(pending, cancellationToken).ConfigureAwait(false) is null;
    }

    /// <summary>
    /// Executes <paramref name="version"/>'s call with eth_call at <paramref name="block"/> (same sender, same gas limit) to
    /// learn the custom error it reverts with: receipts carry only the status (EIP-658), not the revert data.
    /// </summary>
    private async Task<DecodedRevert> ReplayAsync(SignedTransaction version, BlockId block, CancellationToken cancellationToken)
    {
        var tx = (Eip1559Transaction)version.Transaction;
        try
        {
            await _sender.Client.CallAsync(new CallRequest(tx.To, tx.Data, _sender.Address, tx.Value, tx.GasLimit), block, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException ex) when (ex.RevertData is not null)
        {
            return _oracle.DecodeRevert(ex.RevertData);
        }

        return new DecodedRevert(null, null, [], []);
    }

    /// <summary>Records each replacement before its broadcast and each reorganisation before the rebroadcast (write-ahead).</summary>
    private sealed class CommitObserver(RoundTransmitter owner, ulong round, string stream) : ITransactionObserver
    {
        public async ValueTask ReplacingAsync(PendingTransaction pending, SignedTransaction replacement, CancellationToken cancellationToken)
        {
            if (owner._alarm is not null)
            {
                await owner._alarm.CheckAsync(replacement.Transaction.GasLimit, cancellationToken).ConfigureAwait(false);
            }

            var tx = (Eip1559Transaction)replacement.Transaction;
            await owner.AppendAsync(stream, new TransmissionReplaced(round, tx.Nonce, pending.Latest.Hash.ToString(), replacement.Hash.ToString(),
                Hex.Encode(replacement.Raw), Decimal(tx.MaxFeePerGas), Decimal(tx.MaxPriorityFeePerGas)), cancellationToken).ConfigureAwait(false);
            Log.Replacing(owner._logger, round, pending.Latest.Hash.ToString(), replacement.Hash.ToString(), tx.Nonce);
            AggregatorTelemetry.Replacements.Add(1);
        }

        public async ValueTask ReorganisedAsync(PendingTransaction pending, TransactionReceipt lost, CancellationToken cancellationToken)
        {
            await owner.AppendAsync(stream, new TransmissionReorganised(round, lost.TransactionHash.ToString(), lost.BlockNumber, lost.BlockHash.ToString()),
                cancellationToken).ConfigureAwait(false);
            Log.Reorganised(owner._logger, round, lost.TransactionHash.ToString(), lost.BlockNumber);
            AggregatorTelemetry.Reorganisations.Add(1);
            // The same signed transaction is valid only if the contract still accepts it: a reorganisation deep enough to
            // replace B_r changes blockhash(B_r), and the commit would revert ReferenceHashMismatch (docs/protocol.md section 6).
            var revert = await owner.ReplayAsync(pending.Latest, BlockId.Latest, cancellationToken).ConfigureAwait(false);
            while (revert.Name == ReferenceBlockNotPast)
            {
                // The new branch is not past B_r yet (a node that switched to a shorter branch; anvil_reorg drops the blocks
                // before it mines their replacements): the commit is early, not refused. Decide once the chain has grown.
                await Task.Delay(owner._sender.Options.PollInterval, cancellationToken).ConfigureAwait(false);
                revert = await owner.ReplayAsync(pending.Latest, BlockId.Latest, cancellationToken).ConfigureAwait(false);
            }

            if (revert.Data.Length > 0 && revert.Name != RoundNotIncreasing)
            {
                throw new CommitWouldRevertException(pending.Latest.Hash.ToString(), revert);
            }
        }
    }

    /// <summary>After a reorganisation the commit would revert; ends the wait so that the round is recorded as failed.</summary>
    private sealed class CommitWouldRevertException(string transactionHash, DecodedRevert revert) : Exception($"commit {transactionHash} would now revert: {revert}")
    {
        public string TransactionHash { get; } = transactionHash;

        public DecodedRevert Revert { get; } = revert;
    }
}
