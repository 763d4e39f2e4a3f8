using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Transactions;

/// <summary>
/// Sends EIP-1559 transactions from one key: tracks the nonce locally (one transaction at a time per nonce), prices
/// fees under a ceiling, replaces a transaction that is stuck (same nonce, both fees raised by the replacement bump),
/// waits for a confirmation depth, and notices when a mined transaction was reorganised away (it then rebroadcasts).
/// </summary>
public sealed partial class TransactionSender
{
    private readonly EthereumRpcClient _client;
    private readonly PrivateKey _key;
    private readonly SenderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _nonceLock = new(1, 1);
    private ulong? _nextNonce;
    private ulong? _chainId;

    /// <summary>Creates a sender.</summary>
    public TransactionSender(EthereumRpcClient client, PrivateKey key, SenderOptions options, TimeProvider? timeProvider = null, ILogger<TransactionSender>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _key = key;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The sending account.</summary>
    public Address Address => _key.Address;

    /// <summary>The RPC client.</summary>
    public EthereumRpcClient Client => _client;

    /// <summary>The fee, replacement and confirmation settings this sender works with.</summary>
    public SenderOptions Options => _options;

    /// <summary>
    /// Estimates gas if needed, prices fees, signs with the next nonce and broadcasts: <see cref="PrepareAsync"/> then
    /// <see cref="BroadcastAsync"/>.
    /// </summary>
    /// <exception cref="FeeCeilingExceededException">the tip alone is above the ceiling.</exception>
    /// <exception cref="JsonRpcException">the node refused the call (estimation revert, with revert data) or the transaction.</exception>
    public async Task<PendingTransaction> SendAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var signed = await PrepareAsync(request, cancellationToken).ConfigureAwait(false);
        return await BroadcastAsync(signed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Estimates gas if needed, prices fees (EIP-1559, under the ceiling) and signs with the next nonce, without
    /// broadcasting. The nonce is reserved for this transaction: the caller records <see cref="SignedTransaction.Raw"/>
    /// (a durable intent) and then calls <see cref="BroadcastAsync"/>; after a restart the same bytes can be broadcast
    /// again (<see cref="SignedTransaction.Decode"/> rebuilds the transaction from them).
    /// </summary>
    /// <exception cref="FeeCeilingExceededException">the tip alone is above the ceiling.</exception>
    /// <exception cref="JsonRpcException">the node refused the estimation (a revert carries its revert data).</exception>
    public async Task<SignedTransaction> PrepareAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var chainId = _chainId ??= await _client.ChainIdAsync(cancellationToken).ConfigureAwait(false);
        var gasLimit = request.GasLimit ?? await EstimateAsync(request, cancellationToken).ConfigureAwait(false);
        var (tip, maxFee) = await PriceAsync(cancellationToken).ConfigureAwait(false);
        await _nonceLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var nonce = _nextNonce ??= await _client.GetTransactionCountAsync(_key.Address, BlockId.Pending, cancellationToken).ConfigureAwait(false);
            var signed = new Eip1559Transaction(chainId, nonce, tip, maxFee, gasLimit, request.To, request.Value, request.Data).Sign(_key);
            _nextNonce = nonce + 1;
            return signed;
        }
        finally
        {
            _nonceLock.Release();
        }
    }

    /// <summary>Broadcasts a transaction signed by this sender's key (eth_sendRawTransaction) and starts tracking it.</summary>
    /// <exception cref="ArgumentException">another key signed it.</exception>
    /// <exception cref="JsonRpcException">the node refused it (the local nonce is then read again from the node next time).</exception>
    public async Task<PendingTransaction> BroadcastAsync(SignedTransaction signed, CancellationToken cancellationToken = default)
    {
        CheckOwn(signed);
        try
        {
            await _client.SendRawTransactionAsync(signed.Raw, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonRpcException or JsonRpcTransportException)
        {
            // The node's view of our nonce may differ (a transaction sent elsewhere, a restart): read it again next time.
            _nextNonce = null;
            throw;
        }

        var fees = signed.Transaction;
        Log.Sent(_logger, signed.Hash.ToString(), fees.Nonce, fees.MaxPriorityFeePerGas.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            fees.MaxFeePerGas.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new PendingTransaction(signed, _time.GetTimestamp());
    }

    /// <summary>
    /// Tracks versions of one transaction that were prepared (and perhaps broadcast) before, e.g. by a process that
    /// crashed: all share one nonce and this sender's key, oldest first. Nothing is sent; <see cref="WaitForConfirmationAsync(PendingTransaction, CancellationToken)"/>
    /// then finds whichever was mined, and <see cref="RebroadcastAsync"/> sends the latest again byte for byte.
    /// </summary>
    /// <exception cref="ArgumentException">no versions, another key, or versions with different nonces.</exception>
    public PendingTransaction Track(IReadOnlyList<SignedTransaction> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        if (versions.Count == 0)
        {
            throw new ArgumentException("at least one transaction version is needed", nameof(versions));
        }

        foreach (var v in versions)
        {
            CheckOwn(v);
            if (v.Transaction.Nonce != versions[0].Transaction.Nonce)
            {
                throw new ArgumentException($"versions of one transaction share one nonce: {v.Hash} has {v.Transaction.Nonce}, the first {versions[0].Transaction.Nonce}", nameof(versions));
            }
        }

        var pending = new PendingTransaction(versions[0], _time.GetTimestamp());
        foreach (var v in versions.Skip(1))
        {
            pending.Add(v);
        }

        return pending;
    }

    /// <summary>
    /// Sends the latest version of <paramref name="pending"/> again, byte for byte (same nonce and hash). A node that
    /// already holds it, or has mined it, may refuse it; that is not an error here: the waiter finds the receipt or the
    /// nonce consumed. Returns false when the node refused it.
    /// </summary>
    public async Task<bool> RebroadcastAsync(PendingTransaction pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var sent = true;
        try
        {
            await _client.SendRawTransactionAsync(pending.Latest.Raw, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException)
        {
            // "already known", "nonce too low": which one is decided from chain state by the caller, never from the text.
            sent = false;
        }

        pending.LastSentAt = _time.GetTimestamp();
        return sent;
    }

    private void CheckOwn(SignedTransaction signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        if (signed.From != _key.Address)
        {
            throw new ArgumentException($"transaction {signed.Hash} is signed by {signed.From}, this sender is {_key.Address}", nameof(signed));
        }
    }

    /// <summary>Forgets the local nonce so that the next send reads it from the node.</summary>
    public void ResetNonce() => _nextNonce = null;

    private async Task<ulong> EstimateAsync(TransactionRequest request, CancellationToken cancellationToken)
    {
        var estimate = await _client.EstimateGasAsync(new CallRequest(request.To, request.Data, _key.Address, request.Value), cancellationToken).ConfigureAwait(false);
        return estimate + (estimate * (ulong)_options.GasLimitMarginPercent / 100);
    }

    /// <summary>EIP-1559 pricing: tip from options or the node, cap = next base fee × multiplier + tip, under the ceiling.</summary>
    private async Task<(Wei Tip, Wei MaxFee)> PriceAsync(CancellationToken cancellationToken)
    {
        var tip = _options.MaxPriorityFeePerGas ?? await _client.MaxPriorityFeePerGasAsync(cancellationToken).ConfigureAwait(false);
        // The last base fee of eth_feeHistory is the next block's (execution API): price for the block we can enter.
        var history = await _client.FeeHistoryAsync(1, BlockId.Latest, [], cancellationToken).ConfigureAwait(false);
        var nextBaseFee = history.BaseFeePerGas.Count > 0 ? history.BaseFeePerGas[^1] : Wei.Zero;
        if (tip > _options.MaxFeePerGasCeiling)
        {
            throw new FeeCeilingExceededException(tip, _options.MaxFeePerGasCeiling);
        }

        var wanted = new Wei((nextBaseFee.Value * _options.BaseFeeMultiplier) + tip.Value);
        return (tip, Wei.Min(wanted, _options.MaxFeePerGasCeiling));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "sent transaction {Hash} nonce {Nonce} tip {Tip} max fee {MaxFee}")]
        public static partial void Sent(ILogger logger, string hash, ulong nonce, string tip, string maxFee);

        [LoggerMessage(2, LogLevel.Warning, "transaction nonce {Nonce} not mined after {Seconds} s: replaced {OldHash} by {NewHash} (tip {Tip}, max fee {MaxFee})")]
        public static partial void Replaced(ILogger logger, ulong nonce, double seconds, string oldHash, string newHash, string tip, string maxFee);

        [LoggerMessage(3, LogLevel.Warning, "transaction nonce {Nonce} is stuck but its fees are at the ceiling {Ceiling}: not replaced")]
        public static partial void AtCeiling(ILogger logger, ulong nonce, string ceiling);

        [LoggerMessage(4, LogLevel.Warning, "transaction {Hash} mined in block {Block} was reorganised away: rebroadcasting")]
        public static partial void Reorganised(ILogger logger, string hash, ulong block);

        [LoggerMessage(5, LogLevel.Information, "transaction {Hash} confirmed in block {Block} at depth {Depth}")]
        public static partial void Confirmed(ILogger logger, string hash, ulong block, ulong depth);

        [LoggerMessage(6, LogLevel.Warning, "transaction {Hash} nonce {Nonce} is neither mined on the canonical chain nor pending: rebroadcasting")]
        public static partial void Lost(ILogger logger, string hash, ulong nonce);

        [LoggerMessage(7, LogLevel.Information, "replacement {Hash} of nonce {Nonce} refused because an earlier version was mined meanwhile ({Error}): waiting for its confirmations")]
        public static partial void ReplacementRaced(ILogger logger, ulong nonce, string hash, string error);
    }
}

/// <summary>A broadcast transaction and its replacements (all share one nonce; at most one can be mined).</summary>
public sealed class PendingTransaction
{
    // Replaced as a whole (copy on write), so that other threads may read it while the waiter adds replacements.
    private volatile SignedTransaction[] _attempts;

    internal PendingTransaction(SignedTransaction first, long sentAt)
    {
        _attempts = [first];
        LastSentAt = sentAt;
    }

    /// <summary>Every version sent, the first first.</summary>
    public IReadOnlyList<SignedTransaction> Attempts => _attempts;

    /// <summary>The latest version.</summary>
    public SignedTransaction Latest => Attempts[^1];

    /// <summary>The nonce.</summary>
    public ulong Nonce => _attempts[0].Transaction.Nonce;

    /// <summary>
    /// The receipt the waiter last saw on the canonical chain, before the confirmation depth is reached; null while not
    /// mined or after it was reorganised away.
    /// </summary>
    public TransactionReceipt? LastSeenReceipt { get; internal set; }

    internal long LastSentAt { get; set; }

    internal void Add(SignedTransaction replacement) => _attempts = [.. _attempts, replacement];
}

/// <summary>A transaction mined and buried under the confirmation depth.</summary>
/// <param name="Receipt">The receipt of the version that was mined.</param>
/// <param name="Transaction">That version.</param>
/// <param name="Replacements">How many times it was replaced before being mined.</param>
/// <param name="Reorganisations">How many times a mined version was reorganised away and rebroadcast.</param>
public sealed record ConfirmedTransaction(TransactionReceipt Receipt, SignedTransaction Transaction, int Replacements, int Reorganisations);
