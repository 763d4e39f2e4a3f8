using System.Globalization;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Intake.Internal;

/// <summary>
/// The round checks intake adds to the protocol layer's <see cref="BatchVerifier"/> (shape, <c>B_r</c>, EIP-712
/// signature, registered signer): the round is still open on chain, <c>B_r</c> is mined and within the contract's
/// report-age horizon, and the signed hash and time are those of the canonical block (docs/protocol.md sections 3 and 6).
/// </summary>
internal static class BatchCheck
{
    /// <summary>The round must be after the oracle's <c>lastRound</c> (section 6: <c>round &gt; lastRound</c>).</summary>
    public static IntakeVerdict? CheckOpen(SignedBatch batch, IntakeView view)
    {
        var round = batch.Header.Round.Value;
        return round <= view.LastRound
            ? Reject(batch.Digest, round, RejectReason.StaleRound, string.Create(CultureInfo.InvariantCulture, $"round {round} is not after the oracle's lastRound {view.LastRound}"))
            : null;
    }

    /// <summary>
    /// The chain checks (docs/protocol.md sections 3 and 6): B_r is mined, still within <c>maxReportAgeBlocks</c>, and the
    /// signed hash and time are those of the canonical block B_r.
    /// </summary>
    public static async ValueTask<IntakeVerdict?> CheckChainAsync(SignedBatch batch, IntakeView view, ICanonicalChain chain, CancellationToken cancellationToken)
    {
        var header = batch.Header;
        var round = header.Round.Value;
        var head = await chain.HeadAsync(cancellationToken).ConfigureAwait(false);
        if (head < header.ReferenceBlock)
        {
            return Reject(batch.Digest, round, RejectReason.WrongRound, string.Create(CultureInfo.InvariantCulture,
                $"reference block {header.ReferenceBlock} is ahead of the head {head}"));
        }

        if (head - header.ReferenceBlock > view.MaxReportAgeBlocks)
        {
            return Reject(batch.Digest, round, RejectReason.StaleRound, string.Create(CultureInfo.InvariantCulture,
                $"reference block {header.ReferenceBlock} is {head - header.ReferenceBlock} blocks old; the contract takes at most {view.MaxReportAgeBlocks}"));
        }

        var block = await chain.GetBlockAsync(header.ReferenceBlock, cancellationToken).ConfigureAwait(false);
        if (block is not { } b || b.Hash != header.ReferenceHash || b.Timestamp != header.ReferenceTime)
        {
            return Reject(batch.Digest, round, RejectReason.NotCanonical, string.Create(CultureInfo.InvariantCulture,
                $"block {header.ReferenceBlock} is {block?.Hash.ToString() ?? "missing"} at {block?.Timestamp.ToString(CultureInfo.InvariantCulture) ?? "-"}; the batch says {header.ReferenceHash} at {header.ReferenceTime}"));
        }

        return null;
    }

    public static IntakeVerdict Reject(Hash32 digest, ulong round, RejectReason reason, string message) => new(digest, round, reason, message);
}
