using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Transactions;

/// <summary>How a <see cref="TransactionSender"/> prices, waits for and replaces transactions.</summary>
public sealed record SenderOptions
{
    /// <summary>The fee ceiling: maxFeePerGas never exceeds it, and a tip above it fails the send.</summary>
    public required Wei MaxFeePerGasCeiling { get; init; }

    /// <summary>A fixed tip; null asks the node (eth_maxPriorityFeePerGas).</summary>
    public Wei? MaxPriorityFeePerGas { get; init; }

    /// <summary>maxFeePerGas = next base fee × this + tip (2 survives six full blocks of base-fee rises, EIP-1559's 12.5% step).</summary>
    public int BaseFeeMultiplier { get; init; } = 2;

    /// <summary>Blocks on top of the including block, itself included, before a transaction counts as confirmed.</summary>
    public ulong ConfirmationDepth { get; init; } = 2;

    /// <summary>How often receipts and the head are polled.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A transaction not mined after this long is replaced with higher fees (same nonce).</summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The fee rise of a replacement in percent; nodes refuse a replacement whose tip and fee cap do not both rise by at
    /// least 10% (geth's txpool price bump), so this must be at least 10.
    /// </summary>
    public int ReplacementBumpPercent { get; init; } = 15;

    /// <summary>The estimate is multiplied by this (percent) to leave head room.</summary>
    public int GasLimitMarginPercent { get; init; } = 20;

    /// <summary>Checks the invariants, naming the setting at fault.</summary>
    public void Validate()
    {
        if (MaxFeePerGasCeiling == Wei.Zero) throw new ArgumentException("MaxFeePerGasCeiling must be positive", nameof(MaxFeePerGasCeiling));
        if (BaseFeeMultiplier < 1) throw new ArgumentException("BaseFeeMultiplier must be at least 1", nameof(BaseFeeMultiplier));
        if (ConfirmationDepth < 1) throw new ArgumentException("ConfirmationDepth must be at least 1", nameof(ConfirmationDepth));
        if (ReplacementBumpPercent < 10) throw new ArgumentException("ReplacementBumpPercent must be at least 10 (the txpool's minimum)", nameof(ReplacementBumpPercent));
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentException("PollInterval must be positive", nameof(PollInterval));
        if (StuckAfter <= TimeSpan.Zero) throw new ArgumentException("StuckAfter must be positive", nameof(StuckAfter));
        if (GasLimitMarginPercent < 0) throw new ArgumentException("GasLimitMarginPercent must not be negative", nameof(GasLimitMarginPercent));
    }
}

/// <summary>What to send.</summary>
/// <param name="To">The recipient (null to deploy).</param>
/// <param name="Data">Call data or init code.</param>
/// <param name="Value">Value sent.</param>
/// <param name="GasLimit">A fixed gas limit; null estimates it.</param>
public sealed record TransactionRequest(Address? To, ReadOnlyMemory<byte> Data, Wei Value = default, ulong? GasLimit = null);

/// <summary>The fee ceiling is below what the transaction needs.</summary>
public sealed class FeeCeilingExceededException(Wei needed, Wei ceiling)
    : Exception($"the transaction needs {needed} per gas but the ceiling is {ceiling}")
{
    /// <summary>What was needed.</summary>
    public Wei Needed { get; } = needed;

    /// <summary>The configured ceiling.</summary>
    public Wei Ceiling { get; } = ceiling;
}

/// <summary>The transaction was mined but reverted (receipt status 0).</summary>
public sealed class TransactionRevertedException(TransactionReceipt receipt)
    : Exception($"transaction {receipt?.TransactionHash} reverted in block {receipt?.BlockNumber}")
{
    /// <summary>The receipt.</summary>
    public TransactionReceipt Receipt { get; } = receipt!;
}
