using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Rules.Engine;
using SupplyOracle.Rules.Parameters;

namespace SupplyOracle.Aggregator.Query;

/// <summary>
/// Everything a third party needs to check one round end to end (docs/protocol.md sections 5 to 7), as this
/// aggregator recorded it: every accepted signed batch, the proposal, every attestation and the commit transaction,
/// plus the section 5 inputs read from the oracle at the proposal's <c>stateBlock</c>. Nothing in it needs trusting:
/// signatures recover to their signers under the deployment's EIP-712 domain, the report digest is recomputed from
/// the report, the report is recomputed from the batches and the state (checkable against the chain at
/// <c>stateBlock</c>), and the transaction can be looked up.
/// </summary>
/// <param name="Round">r.</param>
/// <param name="Phase">observing, proposed, transmitted, confirmed, abandoned, superseded or failed.</param>
/// <param name="EndReason">Why the round ended without this aggregator's commit, if it did.</param>
/// <param name="Deployment">The chain and contracts (the EIP-712 domain is chain id and oracle).</param>
/// <param name="Batches">Every accepted batch in log order, including the second batch of an equivocating reporter.</param>
/// <param name="Equivocations">Reporters that signed two different batches for the round.</param>
/// <param name="Proposal">The proposal, or null when the round was not proposed.</param>
/// <param name="Attestations">Every accepted attestation of the proposal.</param>
/// <param name="Commit">The commit transaction that confirmed the round, if this aggregator's did.</param>
public sealed record RoundAudit(ulong Round, string Phase, string? EndReason, OracleDeployment Deployment, IReadOnlyList<AuditBatch> Batches,
    IReadOnlyList<AuditEquivocation> Equivocations, AuditProposal? Proposal, IReadOnlyList<AuditAttestation> Attestations, AuditCommit? Commit);

/// <summary>One accepted signed ObservationBatch (section 7), as received.</summary>
/// <param name="Signer">The recovered signer (registered when accepted).</param>
/// <param name="Digest">Its EIP-712 digest.</param>
/// <param name="Round">The signed round.</param>
/// <param name="ReferenceBlock">The signed B_r.</param>
/// <param name="ReferenceTime">The signed time of B_r.</param>
/// <param name="ReferenceHash">The signed hash of B_r.</param>
/// <param name="Observations">The signed 60-byte records.</param>
/// <param name="Signature">The 65-byte signature.</param>
/// <param name="Equivocation">True for the second batch of an equivocating reporter (kept as evidence, never used).</param>
public sealed record AuditBatch(Address Signer, Hash32 Digest, ulong Round, ulong ReferenceBlock, ulong ReferenceTime, Hash32 ReferenceHash,
    byte[] Observations, byte[] Signature, bool Equivocation);

/// <summary>A reporter caught signing two batches for the round.</summary>
/// <param name="Reporter">The reporter.</param>
/// <param name="FirstDigest">The digest of the batch accepted first.</param>
/// <param name="SecondDigest">The digest of the conflicting batch.</param>
public sealed record AuditEquivocation(Address Reporter, Hash32 FirstDigest, Hash32 SecondDigest);

/// <summary>The proposal (section 6): the report, its state block and the batches it was computed from.</summary>
/// <param name="ProposalId">The id sent to reporters.</param>
/// <param name="StateBlock">The block the oracle state was read at.</param>
/// <param name="ReferenceBlock">The report's B_r.</param>
/// <param name="ReferenceTime">The report's referenceTime.</param>
/// <param name="ReferenceHash">The report's referenceHash.</param>
/// <param name="Updates">The report's 45-byte update records.</param>
/// <param name="ReportDigest">The EIP-712 Report digest reporters signed.</param>
/// <param name="Evidence">Digests of the batches used.</param>
/// <param name="Parameters">The section 5 parameters and reporter set at <paramref name="StateBlock"/>; null when the chain could not be read.</param>
/// <param name="State">The section 5 token state at <paramref name="StateBlock"/> (paused tokens left out); null likewise.</param>
public sealed record AuditProposal(string ProposalId, ulong StateBlock, ulong ReferenceBlock, ulong ReferenceTime, Hash32 ReferenceHash, byte[] Updates,
    Hash32 ReportDigest, IReadOnlyList<Hash32> Evidence, RulesParameters? Parameters, IReadOnlyList<TokenState>? State);

/// <summary>One accepted attestation: a reporter's EIP-712 signature of the Report.</summary>
/// <param name="Signer">The recovered signer.</param>
/// <param name="ReportDigest">The digest signed.</param>
/// <param name="Signature">The 65-byte signature.</param>
public sealed record AuditAttestation(Address Signer, Hash32 ReportDigest, byte[] Signature);

/// <summary>The commit transaction that confirmed the round.</summary>
/// <param name="TransactionHash">Its hash.</param>
/// <param name="Block">Its block.</param>
/// <param name="GasUsed">Gas it used.</param>
public sealed record AuditCommit(Hash32 TransactionHash, ulong Block, ulong GasUsed);
