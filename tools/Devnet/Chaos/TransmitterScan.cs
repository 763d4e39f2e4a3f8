namespace SupplyOracle.Devnet.Chaos;

/// <summary>The transmitter's mined transactions and its nonce, both read at one block.</summary>
/// <param name="Head">The block both were read at.</param>
/// <param name="Transactions">Every transaction the transmitter sent that was mined up to <paramref name="Head"/>.</param>
/// <param name="Nonce">Its nonce at <paramref name="Head"/> (transactions mined up to it).</param>
internal sealed record TransmitterAccount(ulong Head, IReadOnlyList<TransmitterTransaction> Transactions, ulong Nonce);

/// <summary>
/// Reads what the transmitter's account did on chain for the nonce check (nonce = commits + reverted). The nonce is read
/// at the scan's last block, not at <c>latest</c>: the chain keeps mining while the blocks are scanned (a long run
/// scans thousands), and a commit mined after the scan's end counted in a later nonce but not among the transactions
/// (the first 14-minute run's "nonce 40 vs 39 commits + 0 reverted").
/// </summary>
internal static class TransmitterScan
{
    /// <summary>Scans blocks 1..<paramref name="head"/> for transactions from <paramref name="transmitter"/>.</summary>
    /// <param name="probe">The chain.</param>
    /// <param name="transmitter">The transmitter's address (0x hex).</param>
    /// <param name="head">The last block scanned.</param>
    /// <param name="commitTransactions">Hashes of transactions that emitted the oracle's <c>Committed</c> event.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    public static async Task<TransmitterAccount> ReadAsync(ChainProbe probe, string transmitter, ulong head, IReadOnlySet<string> commitTransactions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(commitTransactions);
        var transactions = new List<TransmitterTransaction>();
        for (var n = 1UL; n <= head; n++)
        {
            var block = await probe.BlockAsync(n, cancellationToken).ConfigureAwait(false);
            foreach (var tx in block.GetProperty("transactions").EnumerateArray())
            {
                if (!string.Equals(tx.GetProperty("from").GetString(), transmitter, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var hash = tx.GetProperty("hash").GetString()!;
                var receipt = await probe.ReceiptAsync(hash, cancellationToken).ConfigureAwait(false);
                transactions.Add(new TransmitterTransaction(hash, ChainProbe.Quantity(tx.GetProperty("nonce")),
                    ChainProbe.Quantity(receipt.GetProperty("status")) == 1, commitTransactions.Contains(hash)));
            }
        }

        return new TransmitterAccount(head, transactions, await probe.NonceAsync(transmitter, ChainProbe.Block(head), cancellationToken).ConfigureAwait(false));
    }
}
