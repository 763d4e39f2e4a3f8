using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Internal;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using RulesBatch = SupplyOracle.Rules.Batches.ObservationBatch;

namespace SupplyOracle.Protocol.Observations;

/// <summary>
/// Builds and signs a reporter's ObservationBatch for a round (docs/protocol.md section 4, EIP-712 type of section 7).
/// The caller (the reporter) persists the result in its journal before sending it and never signs a different batch
/// for the same round (equivocation protection, section 4).
/// </summary>
public static class ObservationBatchSigner
{
    /// <summary>
    /// Sorts the observations by token (section 7: tokens ascending), encodes them as 60-byte records and signs the
    /// EIP-712 digest. Throws <see cref="ArgumentException"/> for a token observed twice, for no observations, or for
    /// a header whose reference block is not <c>round * roundBlocks</c>.
    /// </summary>
    public static async Task<SignedBatch> SignAsync(
        ISigner signer,
        OracleDeployment deployment,
        ReportHeader header,
        ulong roundBlocks,
        IEnumerable<TokenObservation> observations,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentOutOfRangeException.ThrowIfZero(roundBlocks);

        // docs/protocol.md section 3: B_r = r * roundBlocks; a batch at any other block would be refused by every receiver.
        if ((UInt128)header.Round.Value * roundBlocks != header.ReferenceBlock)
        {
            throw new ArgumentException(
                $"round {header.Round} with roundBlocks {roundBlocks} has reference block {(UInt128)header.Round.Value * roundBlocks}, got {header.ReferenceBlock}",
                nameof(header));
        }

        var sorted = observations.OrderBy(o => o.Token).ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("a batch has at least one observation (a reporter with nothing to report sends nothing)", nameof(observations));
        }

        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Token == sorted[i - 1].Token)
            {
                throw new ArgumentException($"token {sorted[i].Token} is observed twice", nameof(observations));
            }
        }

        var bytes = ObservationEncoding.Encode(sorted);
        var digest = deployment.TypedData.ObservationBatchDigest(
            header.Round.Value, header.ReferenceBlock, header.ReferenceTime, header.ReferenceHash, bytes);
        var signature = await CheckedSigning.SignAsync(signer, digest, cancellationToken).ConfigureAwait(false);
        return new SignedBatch(new RulesBatch(signer.Address, header, sorted), bytes, digest, signature);
    }
}
