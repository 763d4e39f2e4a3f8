using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Protocol.Reports;

/// <summary>
/// A reporter's signature of a report (docs/protocol.md section 6) whose signer has been made or checked. Produced by
/// <see cref="AttestationSigner"/> and <see cref="AttestationVerifier"/>; consumed by <see cref="CommitBuilder"/>.
/// </summary>
/// <param name="Round">The round of the attested report.</param>
/// <param name="ReportDigest">The EIP-712 digest of the report.</param>
/// <param name="Signer">The reporter.</param>
/// <param name="Signature">The signature over <paramref name="ReportDigest"/> (low s, v in {27, 28}).</param>
public sealed record SignedAttestation(RoundId Round, Hash32 ReportDigest, Address Signer, Signature Signature)
{
    /// <summary>The gossip message, echoing the proposal's id.</summary>
    public V1.Attestation ToProto(string proposalId) => new()
    {
        Round = Round.Value,
        ReportDigest = ByteString.CopyFrom(ReportDigest.ToArray()),
        Signature = ByteString.CopyFrom(Signature.ToArray()),
        Reporter = ByteString.CopyFrom(Signer.ToArray()),
        ProposalId = proposalId ?? string.Empty,
    };
}
