using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Internal;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Protocol.State;
using Proposal = SupplyOracle.Protocol.V1.Proposal;
using RejectReason = SupplyOracle.Protocol.V1.RejectReason;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Proposals;

/// <summary>
/// A reporter's check of a proposal before it attests (docs/protocol.md section 6): the report parses; the snapshot is the
/// oracle state at the proposal's <c>state_block</c>, at or after <c>B_r</c>; the round is after <c>lastRound</c> and
/// the oracle is not paused; optionally the header is the reporter's own view of <c>B_r</c>; every evidence batch
/// verifies against the registered reporter set; the rules re-run on the evidence and the snapshot give a
/// byte-identical report. Only then <see cref="ProposalVerdict.IsAccepted"/>, and the reporter signs with
/// <see cref="AttestationSigner"/>.
/// </summary>
public sealed class ProposalVerifier
{
    private readonly OracleDeployment _deployment;
    private readonly BatchVerifier _batches;

    /// <summary>Creates a verifier for one deployment.</summary>
    public ProposalVerifier(OracleDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        _deployment = deployment;
        _batches = new BatchVerifier(deployment);
    }

    /// <summary>Reads the snapshot at the proposal's <c>state_block</c> with <paramref name="reader"/>, then <see cref="Verify"/>.</summary>
    public async Task<ProposalVerdict> VerifyAsync(Proposal proposal, OracleStateReader reader, ReportHeader? canonical = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(reader);
        var snapshot = await reader.ReadAsync(proposal.StateBlock, cancellationToken).ConfigureAwait(false);
        return Verify(proposal, snapshot, canonical);
    }

    /// <summary>
    /// Verifies a proposal against the oracle snapshot at its <c>state_block</c>; <paramref name="canonical"/> is the
    /// reporter's own header of the round when it has one. Never throws for bad input: the verdict carries the refusal.
    /// </summary>
    public ProposalVerdict Verify(Proposal proposal, OracleSnapshot snapshot, ReportHeader? canonical = null)
    {
        var verdict = VerifyCore(proposal, snapshot, canonical);
        ProtocolTelemetry.Verified("proposal", verdict.IsAccepted ? "accepted" : verdict.Refusal.Reason.ToString());
        return verdict;
    }

    private ProposalVerdict VerifyCore(Proposal proposal, OracleSnapshot snapshot, ReportHeader? canonical)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(snapshot);
        if (proposal.Report is null)
        {
            return ProposalVerdict.Refused(ProposalRefusalReason.Malformed, RejectReason.Malformed, "the proposal has no report");
        }

        Report proposed;
        try
        {
            proposed = ReportMessages.FromProto(proposal.Report);
        }
        catch (MessageEncodingException e)
        {
            return ProposalVerdict.Refused(ProposalRefusalReason.Malformed, RejectReason.Malformed, "report: " + e.Message);
        }

        var header = proposed.Header;
        var digest = ReportMessages.Digest(_deployment, proposed);
        if (snapshot.BlockNumber != proposal.StateBlock)
        {
            return ProposalVerdict.Refused(ProposalRefusalReason.StateBlockMismatch, RejectReason.ReportMismatch,
                $"the proposal's state_block is {proposal.StateBlock}, the snapshot is at block {snapshot.BlockNumber}", digest);
        }

        if (proposal.StateBlock < header.ReferenceBlock)
        {
            return ProposalVerdict.Refused(ProposalRefusalReason.StateBeforeReference, RejectReason.ReportMismatch,
                $"state_block {proposal.StateBlock} is before the round's reference block {header.ReferenceBlock}", digest);
        }

        if (header.Round.Value <= snapshot.LastRound)
        {
            return ProposalVerdict.Refused(ProposalRefusalReason.StaleRound, RejectReason.StaleRound,
                $"round {header.Round} is not after lastRound {snapshot.LastRound}", digest);
        }

        if (snapshot.Paused)
        {
            return ProposalVerdict.Refused(ProposalRefusalReason.OraclePaused, RejectReason.Unavailable, "the oracle is paused: a commit would revert", digest);
        }

        if (canonical is { } own && own != header)
        {
            return ProposalVerdict.Refused(ProposalRefusalReason.NotCanonical, own.Round == header.Round ? RejectReason.NotCanonical : RejectReason.WrongRound,
                $"the report is for round {header.Round} at {header.ReferenceHash} (time {header.ReferenceTime}); this reporter has round {own.Round} at {own.ReferenceHash} (time {own.ReferenceTime})",
                digest);
        }

        var expectations = snapshot.BatchExpectations();
        var evidence = new List<SignedBatch>(proposal.Evidence.Count);
        for (var i = 0; i < proposal.Evidence.Count; i++)
        {
            var verified = _batches.Verify(proposal.Evidence[i], expectations);
            if (!verified.IsValid)
            {
                return ProposalVerdict.Refused(ProposalRefusalReason.BadEvidence, verified.Rejection.Reason,
                    $"evidence[{i}]: {verified.Rejection.Message}", digest);
            }

            evidence.Add(verified.Value);
        }

        var evaluation = RoundEvaluator.Evaluate(snapshot, header, evidence);
        if (!evaluation.ShouldPropose)
        {
            return ProposalVerdict.Refused(ProposalRefusalReason.NothingToPropose, RejectReason.ReportMismatch,
                "the rules on this evidence give no Commit and no Frozen entry", digest, evaluation);
        }

        if (!evaluation.Report.IsIdenticalTo(header, proposal.Report.Updates.Span))
        {
            return ProposalVerdict.Refused(ProposalRefusalReason.ReportMismatch, RejectReason.ReportMismatch,
                $"the rules on this evidence give {evaluation.Report.Updates.Count} updates that differ from the proposed {proposed.Updates.Count}",
                digest, evaluation);
        }

        return ProposalVerdict.Accepted(proposed, digest, evaluation);
    }
}
