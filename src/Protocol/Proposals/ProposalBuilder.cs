using SupplyOracle.Protocol.Reports;

namespace SupplyOracle.Protocol.Proposals;

/// <summary>Builds the Proposal an aggregator sends to reporters for attestation (docs/protocol.md section 6).</summary>
public static class ProposalBuilder
{
    /// <summary>
    /// The proposal of an evaluation: the report, the block the oracle state was read at (<c>state_block</c>, the
    /// snapshot's block) and the evidence = exactly the signed batches the report was computed from. Throws
    /// <see cref="InvalidOperationException"/> when the evaluation has nothing to propose (section 5).
    /// </summary>
    public static V1.Proposal Build(RoundEvaluation evaluation, ulong stateBlock, string proposalId, string aggregatorId)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentException.ThrowIfNullOrEmpty(proposalId);
        if (!evaluation.ShouldPropose)
        {
            throw new InvalidOperationException($"round {evaluation.Report.Header.Round} has no Commit and no Frozen entry: nothing to propose (docs/protocol.md section 5)");
        }

        var proposal = new V1.Proposal
        {
            Report = ReportMessages.ToProto(evaluation.Report),
            StateBlock = stateBlock,
            ProposalId = proposalId,
            AggregatorId = aggregatorId ?? string.Empty,
        };
        proposal.Evidence.AddRange(evaluation.Evidence.Select(b => b.ToProto()));
        return proposal;
    }
}
