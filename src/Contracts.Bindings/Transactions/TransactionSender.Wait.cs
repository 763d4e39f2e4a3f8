using System.Globalization;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Transactions;

public sealed partial class TransactionSender
{
    /// <summary>
    /// Waits until one version of <paramref name="pending"/> is mined with <see cref="SenderOptions.ConfirmationDepth"/>
    /// blocks (its own included) on the canonical chain. Replaces the transaction when it is not mined within
    /// <see cref="SenderOptions.StuckAfter"/>; when a mined version disappears from the chain (a reorganisation), it
    /// rebroadcasts it and keeps waiting; whenever no version is mined and the node does not know the latest one (the
    /// rebroadcast was refused or lost, or the pool dropped it), it sends it again at the next poll.
    /// </summary>
    /// <exception cref="TransactionRevertedException">the mined version reverted.</exception>
    public Task<ConfirmedTransaction> WaitForConfirmationAsync(PendingTransaction pending, CancellationToken cancellationToken = default) =>
        WaitForConfirmationAsync(pending, null, cancellationToken);

    /// <summary>
    /// <see cref="WaitForConfirmationAsync(PendingTransaction, CancellationToken)"/>, telling <paramref name="observer"/>
    /// of each replacement before it is broadcast and of each reorganisation before the rebroadcast, so that a caller
    /// can record them durably first (an exception from the observer ends the wait).
    /// </summary>
    /// <exception cref="TransactionRevertedException">the mined version reverted.</exception>
    public async Task<ConfirmedTransaction> WaitForConfirmationAsync(PendingTransaction pending, ITransactionObserver? observer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var reorganisations = 0;
        TransactionReceipt? seen = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (receipt, version) = await FindReceiptAsync(pending, cancellationToken).ConfigureAwait(false);
            if (receipt is not null && !await IsCanonicalAsync(receipt, cancellationToken).ConfigureAwait(false))
            {
                receipt = null; // the node still indexes a receipt of a block that is no longer canonical
            }

            if (receipt is null && seen is not null)
            {
                reorganisations++;
                Log.Reorganised(_logger, seen.TransactionHash.ToString(), seen.BlockNumber);
                if (observer is not null)
                {
                    await observer.ReorganisedAsync(pending, seen, cancellationToken).ConfigureAwait(false);
                }

                await RebroadcastAsync(pending, cancellationToken).ConfigureAwait(false);
                seen = null;
                pending.LastSeenReceipt = null;
            }
            else if (receipt is not null)
            {
                if (seen is not null && seen.BlockHash != receipt.BlockHash)
                {
                    // Mined again in another block between two polls: the first inclusion was reorganised away.
                    reorganisations++;
                    Log.Reorganised(_logger, seen.TransactionHash.ToString(), seen.BlockNumber);
                    if (observer is not null)
                    {
                        await observer.ReorganisedAsync(pending, seen, cancellationToken).ConfigureAwait(false);
                    }
                }

                seen = receipt;
                pending.LastSeenReceipt = receipt;
                var head = await _client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
                var depth = head >= receipt.BlockNumber ? head - receipt.BlockNumber + 1 : 0;
                if (depth >= _options.ConfirmationDepth)
                {
                    if (!receipt.Succeeded)
                    {
                        throw new TransactionRevertedException(receipt);
                    }

                    Log.Confirmed(_logger, receipt.TransactionHash.ToString(), receipt.BlockNumber, depth);
                    return new ConfirmedTransaction(receipt, version!, pending.Attempts.Count - 1, reorganisations);
                }
            }
            else
            {
                if (await IsLostAsync(pending, cancellationToken).ConfigureAwait(false))
                {
                    // Neither mined on the canonical chain nor pending: the node lost it. A rebroadcast can be refused
                    // or lost, e.g. when it races the reorganisation that dropped the transaction (anvil_reorg has
                    // removed the block but not yet rolled the nonce back: "nonce too low"), or when the pool evicts
                    // it. Waiting for StuckAfter would leave nothing pending that long, so every poll that finds it lost
                    // sends it again.
                    Log.Lost(_logger, pending.Latest.Hash.ToString(), pending.Nonce);
                    var sentAt = pending.LastSentAt;
                    if (!await RebroadcastAsync(pending, cancellationToken).ConfigureAwait(false))
                    {
                        // Refused: StuckAfter still counts from the last send the node took, so that a nonce consumed
                        // by another transaction ends the wait through the replacement's error as before.
                        pending.LastSentAt = sentAt;
                    }
                }

                if (_time.GetElapsedTime(pending.LastSentAt) >= _options.StuckAfter)
                {
                    await ReplaceAsync(pending, observer, cancellationToken).ConfigureAwait(false);
                }
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when the block the receipt names is still the canonical block at that height.</summary>
    public async Task<bool> IsCanonicalAsync(TransactionReceipt receipt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var block = await _client.GetBlockAsync(BlockId.AtNumber(receipt.BlockNumber), cancellationToken).ConfigureAwait(false);
        return block is not null && block.Hash == receipt.BlockHash;
    }

    /// <summary>
    /// True when no version has a canonical receipt (the caller checked) and the node holds the latest version neither
    /// in its pool nor in a canonical block: unknown, or indexed in a block that is no longer canonical.
    /// </summary>
    private async Task<bool> IsLostAsync(PendingTransaction pending, CancellationToken cancellationToken)
    {
        var info = await _client.GetTransactionAsync(pending.Latest.Hash, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return true;
        }

        if (info.BlockHash is not { } blockHash || info.BlockNumber is not { } blockNumber)
        {
            return false; // pending in the pool
        }

        var block = await _client.GetBlockAsync(BlockId.AtNumber(blockNumber), cancellationToken).ConfigureAwait(false);
        return block is null || block.Hash != blockHash;
    }

    private async Task<(TransactionReceipt? Receipt, SignedTransaction? Version)> FindReceiptAsync(PendingTransaction pending, CancellationToken cancellationToken)
    {
        // Newest first: after a replacement the latest version is the likely one, but an earlier one may win the race.
        var attempts = pending.Attempts;
        for (var i = attempts.Count - 1; i >= 0; i--)
        {
            var receipt = await _client.GetTransactionReceiptAsync(attempts[i].Hash, cancellationToken).ConfigureAwait(false);
            if (receipt is not null)
            {
                return (receipt, attempts[i]);
            }
        }

        return (null, null);
    }

    /// <summary>Same nonce, tip and fee cap both raised by the bump (and to today's price if higher), under the ceiling.</summary>
    private async Task ReplaceAsync(PendingTransaction pending, ITransactionObserver? observer, CancellationToken cancellationToken)
    {
        var old = pending.Latest.Transaction;
        var (tipNow, maxFeeNow) = await PriceAsync(cancellationToken).ConfigureAwait(false);
        var bump = 100 + _options.ReplacementBumpPercent;
        var tip = Wei.Max(new Wei(((old.MaxPriorityFeePerGas.Value * bump) + 99) / 100), tipNow);
        var maxFee = Wei.Max(new Wei(((old.MaxFeePerGas.Value * bump) + 99) / 100), maxFeeNow);
        maxFee = Wei.Max(maxFee, tip);
        if (maxFee > _options.MaxFeePerGasCeiling)
        {
            maxFee = _options.MaxFeePerGasCeiling;
            // A replacement that does not raise both fees by 10% is refused by the pool: keep waiting instead.
            if (maxFee.Value * 100 < old.MaxFeePerGas.Value * 110 || tip > maxFee)
            {
                Log.AtCeiling(_logger, old.Nonce, _options.MaxFeePerGasCeiling.ToString());
                pending.LastSentAt = _time.GetTimestamp();
                return;
            }
        }

        var replacement = (old with { MaxPriorityFeePerGas = tip, MaxFeePerGas = maxFee }).Sign(_key);
        if (observer is not null)
        {
            await observer.ReplacingAsync(pending, replacement, cancellationToken).ConfigureAwait(false);
        }

        JsonRpcException? refused = null;
        try
        {
            await _client.SendRawTransactionAsync(replacement.Raw, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException e)
        {
            refused = e;
        }

        if (refused is not null)
        {
            // A stuck transaction can be mined while its replacement is being signed: the node then refuses the
            // replacement ("nonce too low"). That is a race, not a failure: the next poll finds the mined version. Any
            // other refusal (a nonce taken by another transaction, an underpriced replacement) still ends the wait.
            if ((await FindReceiptAsync(pending, cancellationToken).ConfigureAwait(false)).Receipt is null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refused);
            }

            Log.ReplacementRaced(_logger, old.Nonce, replacement.Hash.ToString(), refused.Message);
            pending.LastSentAt = _time.GetTimestamp();
            return;
        }

        var waited = _time.GetElapsedTime(pending.LastSentAt).TotalSeconds;
        pending.Add(replacement);
        pending.LastSentAt = _time.GetTimestamp();
        Log.Replaced(_logger, old.Nonce, waited, pending.Attempts[^2].Hash.ToString(), replacement.Hash.ToString(),
            tip.Value.ToString(CultureInfo.InvariantCulture), maxFee.Value.ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Hears of what <see cref="TransactionSender.WaitForConfirmationAsync(PendingTransaction, ITransactionObserver?, CancellationToken)"/>
/// does to a transaction, before it does it, so that a caller can record it durably (write-ahead) first.
/// </summary>
public interface ITransactionObserver
{
    /// <summary>A replacement (same nonce, higher fees) is signed and about to be broadcast.</summary>
    ValueTask ReplacingAsync(PendingTransaction pending, SignedTransaction replacement, CancellationToken cancellationToken);

    /// <summary>A mined version (<paramref name="lost"/>) left the canonical chain; it is about to be broadcast again.</summary>
    ValueTask ReorganisedAsync(PendingTransaction pending, TransactionReceipt lost, CancellationToken cancellationToken);
}
