using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Proposals;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Protocol.State;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using V1 = SupplyOracle.Protocol.V1;

namespace SupplyOracle.Network.TestSupport;

/// <summary>Everything one run of docs/protocol.md section 6 produced.</summary>
/// <param name="Snapshot">The oracle state the aggregator read (<c>stateBlock</c>).</param>
/// <param name="Evaluation">The aggregator's evaluation.</param>
/// <param name="Proposal">The proposal sent to the reporters (after a wire round trip).</param>
/// <param name="Verdicts">Each reporter's verdict, in reporter order.</param>
/// <param name="Attestations">The verified attestations.</param>
/// <param name="Commit">The commit arguments.</param>
/// <param name="Transaction">The confirmed commit transaction.</param>
public sealed record RoundRun(
    OracleSnapshot Snapshot,
    RoundEvaluation Evaluation,
    V1.Proposal Proposal,
    IReadOnlyList<ProposalVerdict> Verdicts,
    IReadOnlyList<SignedAttestation> Attestations,
    CommitArguments Commit,
    ConfirmedTransaction Transaction);

public sealed partial class OracleNetwork
{
    /// <summary>Reporter <paramref name="reporter"/> signs a batch for the round of <paramref name="header"/>.</summary>
    public Task<SignedBatch> SignBatchAsync(int reporter, ReportHeader header, IEnumerable<TokenObservation> observations, CancellationToken cancellationToken = default) =>
        ObservationBatchSigner.SignAsync(Reporters[reporter], Deployment, header, Options.Parameters.RoundBlocks, observations, cancellationToken);

    /// <summary>
    /// Runs section 6 end to end with the protocol layer: the aggregator reads the oracle at the head, verifies the
    /// batches (as received over the wire), evaluates, proposes; every reporter verifies the proposal against the
    /// state at <c>stateBlock</c> and attests; the aggregator verifies the attestations, builds and sends the commit.
    /// Returns null when the rules leave nothing to propose (section 5); throws <see cref="InvalidOperationException"/>
    /// when a reporter refuses the proposal.
    /// </summary>
    public async Task<RoundRun?> RunRoundAsync(ReportHeader header, IEnumerable<SignedBatch> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var snapshot = await StateReader.ReadAsync(await Client.BlockNumberAsync(cancellationToken), cancellationToken);

        var batchVerifier = new BatchVerifier(Deployment);
        var received = batches
            .Select(b => batchVerifier.Verify(V1.ObservationBatch.Parser.ParseFrom(b.ToProto().ToByteArray()), snapshot.BatchExpectations(header)).GetValueOrThrow())
            .ToArray();
        var evaluation = RoundEvaluator.Evaluate(snapshot, header, received);
        if (!evaluation.ShouldPropose)
        {
            return null;
        }

        var proposalId = $"round-{header.Round}";
        var sent = ProposalBuilder.Build(evaluation, snapshot.BlockNumber, proposalId, "test-aggregator");
        var proposal = V1.Proposal.Parser.ParseFrom(sent.ToByteArray());

        var proposalVerifier = new ProposalVerifier(Deployment);
        var verdicts = new List<ProposalVerdict>();
        var attestations = new List<SignedAttestation>();
        var digest = ReportMessages.Digest(Deployment, evaluation.Report);
        foreach (var reporter in Reporters)
        {
            var verdict = await proposalVerifier.VerifyAsync(proposal, StateReader, header, cancellationToken);
            verdicts.Add(verdict);
            if (!verdict.IsAccepted)
            {
                throw new InvalidOperationException($"reporter {reporter.Address} refused round {header.Round}: {verdict.Refusal.Reason} {verdict.Refusal.Rejection}");
            }

            var attestation = await AttestationSigner.SignAsync(reporter, Deployment, verdict.Report, cancellationToken);
            var wire = V1.Attestation.Parser.ParseFrom(attestation.ToProto(proposalId).ToByteArray());
            attestations.Add(AttestationVerifier.Verify(wire, header.Round, digest, snapshot.Reporters).GetValueOrThrow());
        }

        var commit = CommitBuilder.Build(Deployment, evaluation.Report, attestations, snapshot.Parameters.MinReporters);
        var transaction = await commit.SendAsync(Oracle, Owner, cancellationToken);
        return new RoundRun(snapshot, evaluation, proposal, verdicts, attestations, commit, transaction);
    }
}
