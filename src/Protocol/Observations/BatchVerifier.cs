using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Internal;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using RulesBatch = SupplyOracle.Rules.Batches.ObservationBatch;

namespace SupplyOracle.Protocol.Observations;

/// <summary>What a received batch is checked against (read from the oracle at one block).</summary>
/// <param name="RoundBlocks">The on-chain <c>roundBlocks</c> (docs/protocol.md section 3).</param>
/// <param name="Reporters">The registered reporters.</param>
/// <param name="Canonical">
/// When known, the receiver's own view of the round being collected (round, <c>B_r</c>, its time and hash): a batch
/// for another round is refused with <see cref="RejectReason.WrongRound"/>, one with another time or hash with
/// <see cref="RejectReason.NotCanonical"/> (section 3: a block reorganised away). Null skips both checks.
/// </param>
public sealed record BatchExpectations(ulong RoundBlocks, ReporterSet Reporters, ReportHeader? Canonical = null);

/// <summary>
/// Verifies received ObservationBatch messages (docs/protocol.md sections 4 and 7) for one deployment. Checks, in order:
/// structure (32-byte hash, 65-byte signature, 60-byte records, tokens strictly ascending, circulating &gt; 0, factor
/// in [1, 1e18]) → <see cref="RejectReason.Malformed"/>; <c>referenceBlock == round * roundBlocks</c> →
/// <see cref="RejectReason.WrongReferenceBlock"/>; the optional canonical header; the signature (low s per EIP-2,
/// <c>v</c> in {27, 28}, recoverable) → <see cref="RejectReason.BadSignature"/>; the signer registered →
/// <see cref="RejectReason.UnknownSigner"/>. Stateless and thread-safe: deduplication and equivocation need the
/// receiver's memory of earlier batches (key them by (reporter, digest) and by (reporter, round)).
/// </summary>
public sealed class BatchVerifier
{
    private readonly OracleDeployment _deployment;

    /// <summary>Creates a verifier for one deployment (its EIP-712 domain).</summary>
    public BatchVerifier(OracleDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        _deployment = deployment;
    }

    /// <summary>Verifies one received batch; never throws for bad input (the result carries the rejection).</summary>
    public VerificationResult<SignedBatch> Verify(V1.ObservationBatch message, BatchExpectations expectations)
    {
        var result = VerifyCore(message, expectations);
        ProtocolTelemetry.Verified("batch", result.IsValid ? "accepted" : result.Rejection.Reason.ToString());
        return result;
    }

    private VerificationResult<SignedBatch> VerifyCore(V1.ObservationBatch message, BatchExpectations expectations)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(expectations);
        ArgumentNullException.ThrowIfNull(expectations.Reporters);

        if (message.ReferenceHash.Length != Hash32.Size)
        {
            return Reject(RejectReason.Malformed, $"reference_hash has {message.ReferenceHash.Length} bytes, expected 32");
        }

        if (message.Signature.Length != Signature.Size)
        {
            return Reject(RejectReason.BadSignature, $"signature has {message.Signature.Length} bytes, expected 65 (r || s || v)");
        }

        if (message.Reporter.Length is not (0 or 20))
        {
            return Reject(RejectReason.Malformed, $"reporter has {message.Reporter.Length} bytes, expected 20");
        }

        IReadOnlyList<TokenObservation> observations;
        try
        {
            observations = ObservationEncoding.Decode(message.Observations.Span);
        }
        catch (MessageEncodingException e)
        {
            return Reject(RejectReason.Malformed, "observations: " + e.Message);
        }

        if (observations.Count == 0)
        {
            return Reject(RejectReason.Malformed, "the batch has no observations");
        }

        var header = new ReportHeader(new RoundId(message.Round), message.ReferenceBlock, message.ReferenceTime, new Hash32(message.ReferenceHash.Span));

        // docs/protocol.md section 3: round r observes block B_r = r * roundBlocks and nothing else.
        var expectedBlock = (UInt128)message.Round * expectations.RoundBlocks;
        if (expectedBlock != message.ReferenceBlock)
        {
            return Reject(RejectReason.WrongReferenceBlock,
                $"round {message.Round} has reference block {expectedBlock} (roundBlocks {expectations.RoundBlocks}), the batch says {message.ReferenceBlock}");
        }

        var digest = _deployment.TypedData.ObservationBatchDigest(
            header.Round.Value, header.ReferenceBlock, header.ReferenceTime, header.ReferenceHash, message.Observations.Span);

        if (expectations.Canonical is { } canonical)
        {
            if (canonical.Round != header.Round)
            {
                return Reject(RejectReason.WrongRound, $"the batch is for round {header.Round}, round {canonical.Round} is being collected", digest);
            }

            if (canonical != header)
            {
                return Reject(RejectReason.NotCanonical,
                    $"block {header.ReferenceBlock} is {canonical.ReferenceHash} at time {canonical.ReferenceTime}; the batch signed {header.ReferenceHash} at {header.ReferenceTime}",
                    digest);
            }
        }

        if (!SignatureRecovery.TryRecover(digest, message.Signature.Span, out var signer, out var signatureProblem))
        {
            return Reject(RejectReason.BadSignature, signatureProblem, digest);
        }

        if (!expectations.Reporters.Contains(signer))
        {
            return Reject(RejectReason.UnknownSigner, $"the batch is signed by {signer}, not a registered reporter", digest);
        }

        if (message.Reporter.Length == 20 && new Address(message.Reporter.Span) != signer)
        {
            // The informational field disagrees with the signature: a batch signed under another domain or altered.
            return Reject(RejectReason.BadSignature,
                $"the signature recovers to {signer} but the batch names reporter {new Address(message.Reporter.Span)}", digest);
        }

        var batch = new RulesBatch(signer, header, observations);
        return VerificationResult<SignedBatch>.Valid(
            new SignedBatch(batch, message.Observations.ToByteArray(), digest, Signature.FromBytes(message.Signature.Span)), digest);
    }

    private static VerificationResult<SignedBatch> Reject(RejectReason reason, string message, Hash32? digest = null) =>
        VerificationResult<SignedBatch>.Rejected(new ProtocolRejection(reason, message), digest);
}
