using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Proposals;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.State;
using SupplyOracle.Protocol.Tests.Support;
using SupplyOracle.Rules.Engine;
using RejectReason = SupplyOracle.Protocol.V1.RejectReason;

namespace SupplyOracle.Protocol.Tests.Proposals;

public sealed class ProposalVerifierTests
{
    private static readonly PrivateKeySigner[] s_signers = Keys.Signers(4);
    private static readonly ProposalVerifier s_verifier = new(Keys.Deployment);
    private static readonly ReportHeader s_header = Keys.Header(7);

    private static OracleSnapshot Snapshot(ulong block = 100, ulong lastRound = 0, bool paused = false) =>
        Snapshots.Create(s_signers.Select(s => s.Address), [Keys.Token(1), Keys.Token(2)], block, lastRound, paused);

    private static async Task<(V1.Proposal Proposal, RoundEvaluation Evaluation)> ProposeAsync(OracleSnapshot snapshot)
    {
        var batches = new List<SignedBatch>();
        foreach (var s in s_signers)
        {
            batches.Add(await ObservationBatchSigner.SignAsync(s, Keys.Deployment, s_header, 10, [Keys.Observation(1), Keys.Observation(2, 5, 300_000_000_000_000_000)]));
        }

        var evaluation = RoundEvaluator.Evaluate(snapshot, s_header, batches);
        return (ProposalBuilder.Build(evaluation, snapshot.BlockNumber, "p1", "agg"), evaluation);
    }

    private static async Task<ProposalRefusalReason> RefusedAsync(Action<V1.Proposal> tamper, OracleSnapshot? at = null, ReportHeader? canonical = null)
    {
        var (proposal, _) = await ProposeAsync(Snapshot());
        tamper(proposal);
        var verdict = s_verifier.Verify(proposal, at ?? Snapshot(), canonical);
        Assert.False(verdict.IsAccepted);
        return verdict.Refusal.Reason;
    }

    [Fact]
    public async Task Verify_HonestProposal_AcceptedWithSameReport()
    {
        var snapshot = Snapshot();
        var (proposal, evaluation) = await ProposeAsync(snapshot);

        var verdict = s_verifier.Verify(V1.Proposal.Parser.ParseFrom(proposal.ToByteArray()), snapshot, s_header);

        Assert.True(verdict.IsAccepted);
        Assert.Equal(evaluation.Report.EncodeUpdates(), verdict.Report.EncodeUpdates());
        Assert.Equal(2, verdict.Report.Updates.Count);
        Assert.Equal(4, proposal.Evidence.Count);
        Assert.True(verdict.ToAcknowledgement(7).Accepted);
    }

    [Fact]
    public async Task Verify_ChangedFactor_ReportMismatch()
    {
        var reason = await RefusedAsync(p =>
        {
            var bytes = p.Report.Updates.ToByteArray();
            bytes[43] ^= 1;
            p.Report.Updates = ByteString.CopyFrom(bytes);
        });
        Assert.Equal(ProposalRefusalReason.ReportMismatch, reason);
    }

    [Fact]
    public async Task Verify_EvidenceWithheld_ReportMismatchOrNothing()
    {
        // Without two of the four batches the quorum of 3 fails: the proposer cannot show the report follows.
        var reason = await RefusedAsync(p => { p.Evidence.RemoveAt(0); p.Evidence.RemoveAt(0); });
        Assert.Equal(ProposalRefusalReason.NothingToPropose, reason);
    }

    [Fact]
    public async Task Verify_TamperedEvidence_BadEvidence()
    {
        var (proposal, _) = await ProposeAsync(Snapshot());
        proposal.Evidence[1].Signature = ByteString.CopyFrom(new byte[65]);
        var verdict = s_verifier.Verify(proposal, Snapshot());
        Assert.Equal(ProposalRefusalReason.BadEvidence, verdict.Refusal!.Reason);
        Assert.Equal(RejectReason.BadSignature, verdict.Refusal.Rejection.Reason);
    }

    [Fact]
    public async Task Verify_EvidenceFromUnregisteredReporter_BadEvidence()
    {
        var outsider = Keys.Signers(1)[0];
        var batch = await ObservationBatchSigner.SignAsync(outsider, Keys.Deployment, s_header, 10, [Keys.Observation(1)]);
        var reason = await RefusedAsync(p => p.Evidence.Add(batch.ToProto()));
        Assert.Equal(ProposalRefusalReason.BadEvidence, reason);
    }

    [Fact]
    public async Task Verify_SnapshotAtOtherBlock_StateBlockMismatch() =>
        Assert.Equal(ProposalRefusalReason.StateBlockMismatch, await RefusedAsync(_ => { }, Snapshot(block: 101)));

    [Fact]
    public async Task Verify_StateBlockBeforeReferenceBlock_StateBeforeReference() =>
        Assert.Equal(ProposalRefusalReason.StateBeforeReference, await RefusedAsync(p => p.StateBlock = 69, Snapshot(block: 69)));

    [Fact]
    public async Task Verify_RoundAlreadyCommitted_StaleRound() =>
        Assert.Equal(ProposalRefusalReason.StaleRound, await RefusedAsync(_ => { }, Snapshot(lastRound: 7)));

    [Fact]
    public async Task Verify_OraclePaused_OraclePaused() =>
        Assert.Equal(ProposalRefusalReason.OraclePaused, await RefusedAsync(_ => { }, Snapshot(paused: true)));

    [Fact]
    public async Task Verify_HeaderNotReportersOwn_NotCanonical() =>
        Assert.Equal(ProposalRefusalReason.NotCanonical, await RefusedAsync(_ => { }, canonical: s_header with { ReferenceHash = Keccak256.Hash([9]) }));

    [Fact]
    public async Task Verify_NoReport_Malformed() =>
        Assert.Equal(ProposalRefusalReason.Malformed, await RefusedAsync(p => p.Report = null));

    [Fact]
    public async Task Verify_UpdatesNotMultipleOf45_Malformed() =>
        Assert.Equal(ProposalRefusalReason.Malformed, await RefusedAsync(p => p.Report.Updates = ByteString.CopyFrom(p.Report.Updates.Span[..44])));

    [Fact]
    public async Task Verify_PausedToken_LeftOutOfReport()
    {
        var snapshot = Snapshots.Create(s_signers.Select(s => s.Address), [Keys.Token(1), Keys.Token(2)],
            view: t => t == Keys.Token(2) ? Snapshots.NeverCommitted with { Paused = true } : Snapshots.NeverCommitted);
        var (_, evaluation) = await ProposeAsync(snapshot);
        Assert.Equal([Keys.Token(1)], evaluation.Report.Updates.Select(u => u.Token));
        Assert.Equal(OutcomeReason.Unlisted, evaluation.Result.Outcomes.Single(o => o.Token == Keys.Token(2)).Reason);
    }

    [Fact]
    public async Task Refusal_ToAcknowledgement_CarriesReason()
    {
        var (proposal, _) = await ProposeAsync(Snapshot());
        var verdict = s_verifier.Verify(proposal, Snapshot(lastRound: 9));
        var ack = verdict.ToAcknowledgement(7);
        Assert.False(ack.Accepted);
        Assert.Equal(RejectReason.StaleRound, ack.Reason);
        Assert.Equal(32, ack.MessageHash.Length);
    }

    /// <summary>
    /// The attesting reporter re-runs step 12 (docs/protocol.md section 5, protocol 1.1): a proposal that commits a token the
    /// commit policy leaves out (Unchanged: same factor, same supply, heartbeat not due) is not the report it gets, and
    /// is refused. Token 1 was committed an hour ago with exactly the figures observed now; token 2 was never committed.
    /// </summary>
    [Fact]
    public async Task Verify_ProposalCommitsAnUnchangedToken_RefusedAndReporterLeavesItOut()
    {
        var committed = Snapshots.NeverCommitted with
        {
            Initialized = true, Factor = 500_000_000_000_000_000, CommittedAt = s_header.ReferenceTime - 3_600, Anchor = 500_000_000_000_000_000,
            AnchorAt = s_header.ReferenceTime - 3_600, CommittedCirculating = 1_000_000,
        };
        var withPolicy = Snapshots.Create(s_signers.Select(s => s.Address), [Keys.Token(1), Keys.Token(2)],
            view: t => t == Keys.Token(1) ? committed : Snapshots.NeverCommitted);
        var everyRound = new OracleSnapshot(withPolicy.BlockNumber, withPolicy.BlockHash, withPolicy.BlockTime,
            withPolicy.ContractParameters with { Heartbeat = withPolicy.ContractParameters.MinCommitInterval },
            [.. s_signers.Select(s => s.Address)], withPolicy.Tokens, 0, false);

        var (honest, evaluation) = await ProposeAsync(withPolicy);
        var (greedy, _) = await ProposeAsync(everyRound);

        Assert.Equal(OutcomeReason.Unchanged, evaluation.Result.Outcomes.Single(o => o.Token == Keys.Token(1)).Reason);
        Assert.Equal([Keys.Token(2)], evaluation.Report.Updates.Select(u => u.Token));
        Assert.True(s_verifier.Verify(honest, withPolicy, s_header).IsAccepted);
        var verdict = s_verifier.Verify(greedy, withPolicy, s_header);
        Assert.False(verdict.IsAccepted);
        Assert.Equal(ProposalRefusalReason.ReportMismatch, verdict.Refusal.Reason);
    }

    [Fact]
    public void Build_NothingToPropose_Throws()
    {
        var evaluation = RoundEvaluator.Evaluate(Snapshot(), s_header, []);
        Assert.Throws<InvalidOperationException>(() => ProposalBuilder.Build(evaluation, 100, "p", "a"));
    }
}
