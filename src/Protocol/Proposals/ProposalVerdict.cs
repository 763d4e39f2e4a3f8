using System.Diagnostics.CodeAnalysis;
using SupplyOracle.Contracts.Bindings.Primitives;
using Acknowledgement = SupplyOracle.Protocol.V1.Acknowledgement;
using RejectReason = SupplyOracle.Protocol.V1.RejectReason;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Proposals;

/// <summary>Why a reporter refuses to attest a proposal (for metrics and logs; each maps to a proto <see cref="RejectReason"/>).</summary>
public enum ProposalRefusalReason
{
    /// <summary>The report or an evidence batch does not parse.</summary>
    Malformed,

    /// <summary>The snapshot given is not the one at the proposal's <c>state_block</c>.</summary>
    StateBlockMismatch,

    /// <summary>The oracle state was read before the round's reference block.</summary>
    StateBeforeReference,

    /// <summary>The round is not after the oracle's <c>lastRound</c>: it can never be committed.</summary>
    StaleRound,

    /// <summary>The oracle is globally paused: every commit reverts.</summary>
    OraclePaused,

    /// <summary>The report's header is not the reporter's own view of block <c>B_r</c> (reorganised away, or wrong).</summary>
    NotCanonical,

    /// <summary>An evidence batch does not verify (bad signature, unregistered signer, wrong reference block).</summary>
    BadEvidence,

    /// <summary>The re-run of the rules on the evidence proposes nothing (no Commit and no Frozen entry).</summary>
    NothingToPropose,

    /// <summary>The re-run of the rules gave a different report.</summary>
    ReportMismatch,
}

/// <summary>A refusal: the reason, the proto reason for the <c>proposal_verdict</c> acknowledgement, and a message.</summary>
/// <param name="Reason">Why, for metrics.</param>
/// <param name="Rejection">The proto reason and message.</param>
public sealed record ProposalRefusal(ProposalRefusalReason Reason, ProtocolRejection Rejection);

/// <summary>The result of <see cref="ProposalVerifier.Verify"/>: the report to attest, or the refusal.</summary>
public sealed class ProposalVerdict
{
    private ProposalVerdict(Report? report, Hash32? reportDigest, RoundEvaluation? evaluation, ProposalRefusal? refusal)
    {
        Report = report;
        ReportDigest = reportDigest;
        Evaluation = evaluation;
        Refusal = refusal;
    }

    /// <summary>True when the reporter may attest <see cref="Report"/>.</summary>
    [MemberNotNullWhen(true, nameof(Report), nameof(ReportDigest), nameof(Evaluation))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsAccepted => Refusal is null;

    /// <summary>The report (decoded from the proposal, byte-identical to the re-computed one) when accepted.</summary>
    public Report? Report { get; }

    /// <summary>Its EIP-712 digest when it could be computed.</summary>
    public Hash32? ReportDigest { get; }

    /// <summary>The reporter's own evaluation (outcomes per token), when the rules ran.</summary>
    public RoundEvaluation? Evaluation { get; }

    /// <summary>Why the proposal is refused, or null.</summary>
    public ProposalRefusal? Refusal { get; }

    /// <summary>The <c>proposal_verdict</c> acknowledgement of a refusal (its hash is the report digest when known).</summary>
    public Acknowledgement ToAcknowledgement(ulong round) =>
        IsAccepted ? ProtocolRejection.Accepted(ReportDigest.Value, round) : Refusal.Rejection.ToAcknowledgement(ReportDigest, round);

    internal static ProposalVerdict Accepted(Report report, Hash32 digest, RoundEvaluation evaluation) => new(report, digest, evaluation, null);

    internal static ProposalVerdict Refused(ProposalRefusalReason reason, RejectReason proto, string message, Hash32? digest = null, RoundEvaluation? evaluation = null) =>
        new(null, digest, evaluation, new ProposalRefusal(reason, new ProtocolRejection(proto, message)));
}
