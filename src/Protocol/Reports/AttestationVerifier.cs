using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Internal;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Protocol.Reports;

/// <summary>
/// Verifies a received attestation (docs/protocol.md section 6) against the report the aggregator proposed: the digest
/// must be that report's (<see cref="RejectReason.UnknownProposal"/> otherwise), the signature 65 bytes, low s, v in
/// {27, 28} and recoverable (<see cref="RejectReason.BadSignature"/>), the signer a registered reporter
/// (<see cref="RejectReason.UnknownSigner"/>). These are exactly the checks the contract's <c>commit</c> makes.
/// </summary>
public static class AttestationVerifier
{
    /// <summary>Verifies one attestation; never throws for bad input (the result carries the rejection).</summary>
    public static VerificationResult<SignedAttestation> Verify(Attestation message, RoundId round, Hash32 reportDigest, ReporterSet reporters)
    {
        var result = VerifyCore(message, round, reportDigest, reporters);
        ProtocolTelemetry.Verified("attestation", result.IsValid ? "accepted" : result.Rejection.Reason.ToString());
        return result;
    }

    private static VerificationResult<SignedAttestation> VerifyCore(Attestation message, RoundId round, Hash32 reportDigest, ReporterSet reporters)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(reporters);

        if (message.ReportDigest.Length != Hash32.Size)
        {
            return Reject(RejectReason.Malformed, $"report_digest has {message.ReportDigest.Length} bytes, expected 32", null);
        }

        var digest = new Hash32(message.ReportDigest.Span);
        if (message.Round != round.Value || digest != reportDigest)
        {
            return Reject(RejectReason.UnknownProposal,
                $"the attestation is for round {message.Round} digest {digest}; the proposal is round {round} digest {reportDigest}", digest);
        }

        if (!SignatureRecovery.TryRecover(digest, message.Signature.Span, out var signer, out var problem))
        {
            return Reject(RejectReason.BadSignature, problem, digest);
        }

        if (!reporters.Contains(signer))
        {
            return Reject(RejectReason.UnknownSigner, $"the attestation is signed by {signer}, not a registered reporter", digest);
        }

        if (message.Reporter.Length == 20 && new Address(message.Reporter.Span) != signer)
        {
            return Reject(RejectReason.BadSignature,
                $"the signature recovers to {signer} but the attestation names reporter {new Address(message.Reporter.Span)}", digest);
        }

        return VerificationResult<SignedAttestation>.Valid(
            new SignedAttestation(round, digest, signer, Signature.FromBytes(message.Signature.Span)), digest);
    }

    private static VerificationResult<SignedAttestation> Reject(RejectReason reason, string message, Hash32? digest) =>
        VerificationResult<SignedAttestation>.Rejected(new ProtocolRejection(reason, message), digest);
}
