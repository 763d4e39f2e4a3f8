namespace SupplyOracle.Aggregator.Rounds;

/// <summary>
/// The round was closed for intake and the rules applied (stream <c>round-&lt;r&gt;</c>, name <c>round-closed.v1</c>,
/// docs/protocol.md section 5).
/// </summary>
/// <param name="Round">r.</param>
/// <param name="StateBlock">The block the oracle state was read at.</param>
/// <param name="BatchesUsed">Batches the report was computed from (after equivocation and header checks).</param>
/// <param name="Equivocators">Reporters dropped for equivocation.</param>
/// <param name="Outcomes">Per token: "token:in-report or left-out:reason".</param>
public sealed record RoundClosed(ulong Round, ulong StateBlock, int BatchesUsed, IReadOnlyList<string> Equivocators, IReadOnlyList<string> Outcomes);

/// <summary>A report was proposed for attestation (name <c>round-proposed.v1</c>, docs/protocol.md section 6).</summary>
/// <param name="Round">r.</param>
/// <param name="ProposalId">The proposal id sent to reporters.</param>
/// <param name="StateBlock">The proposal's <c>state_block</c>.</param>
/// <param name="ReportDigest">The EIP-712 Report digest reporters sign (0x hex).</param>
/// <param name="Updates">The 45-byte update records (0x hex).</param>
/// <param name="Evidence">Digests of the batches used.</param>
/// <param name="ReferenceTime">The report header's referenceTime (timestamp of B_r).</param>
/// <param name="ReferenceHash">The report header's referenceHash (hash of B_r, 0x hex).</param>
public sealed record RoundProposed(ulong Round, string ProposalId, ulong StateBlock, string ReportDigest, string Updates, IReadOnlyList<string> Evidence,
    ulong ReferenceTime = 0, string? ReferenceHash = null);

/// <summary>The round ends without a commit (name <c>round-abandoned.v1</c>), with the reason.</summary>
/// <param name="Round">r.</param>
/// <param name="Reason">Why (e.g. nothing to propose, docs/protocol.md section 5).</param>
public sealed record RoundAbandoned(ulong Round, string Reason);

/// <summary>
/// The aggregator saw <c>B_r</c> mined with the reporters' confirmations and started waiting for batches (name <c>round-opened.v1</c>, docs/protocol.md
/// section 3). The deadline is recorded so a restart or another replica keeps it.
/// </summary>
/// <param name="Round">r.</param>
/// <param name="ReferenceBlock">B_r.</param>
/// <param name="Head">The head when the round was opened.</param>
/// <param name="CloseBy">Unix seconds, rounded up: the round is closed then even if not every reporter was heard.</param>
/// <param name="Reporters">Registered reporters when opened (all heard closes early).</param>
public sealed record RoundOpened(ulong Round, ulong ReferenceBlock, ulong Head, long CloseBy, int Reporters)
{
    /// <summary>
    /// Unix milliseconds: the exact deadline (<see cref="CloseBy"/> is whole seconds). Null in events recorded before it
    /// existed; then <see cref="CloseBy"/> is the deadline.
    /// </summary>
    public long? CloseByMilliseconds { get; init; }
}

/// <summary>A reporter's attestation of the open proposal was verified (name <c>attestation-accepted.v1</c>, section 6).</summary>
/// <param name="Round">r.</param>
/// <param name="ProposalId">The proposal attested.</param>
/// <param name="ReportDigest">The EIP-712 Report digest signed (0x hex).</param>
/// <param name="Reporter">The signer (checksummed).</param>
/// <param name="Signature">The 65-byte r||s||v signature (0x hex).</param>
public sealed record AttestationAccepted(ulong Round, string ProposalId, string ReportDigest, string Reporter, string Signature);

/// <summary>An attestation failed verification (name <c>attestation-rejected.v1</c>), with the proto reject reason.</summary>
/// <param name="Round">r.</param>
/// <param name="ProposalId">The proposal id the attestation named.</param>
/// <param name="Reason">The proto <c>RejectReason</c> name.</param>
/// <param name="Detail">What was wrong.</param>
/// <param name="Reporter">The reporter it claimed or recovered to, if known.</param>
/// <param name="Peer">Where it came from.</param>
public sealed record AttestationRejected(ulong Round, string ProposalId, string Reason, string Detail, string? Reporter, string Peer);

/// <summary>A reporter refused to attest the proposal (name <c>proposal-refused.v1</c>): its verdict's reason and message.</summary>
/// <param name="Round">r.</param>
/// <param name="Reason">The proto <c>RejectReason</c> name the reporter gave.</param>
/// <param name="Detail">The reporter's message.</param>
/// <param name="Peer">The stream it came on.</param>
public sealed record ProposalRefused(ulong Round, string Reason, string Detail, string Peer);

/// <summary>Stable names of the round lifecycle events.</summary>
public static class RoundEventNames
{
    /// <summary><see cref="RoundOpened"/>.</summary>
    public const string RoundOpened = "round-opened.v1";

    /// <summary><see cref="AttestationAccepted"/>.</summary>
    public const string AttestationAccepted = "attestation-accepted.v1";

    /// <summary><see cref="AttestationRejected"/>.</summary>
    public const string AttestationRejected = "attestation-rejected.v1";

    /// <summary><see cref="ProposalRefused"/>.</summary>
    public const string ProposalRefused = "proposal-refused.v1";

    /// <summary><see cref="RoundClosed"/>.</summary>
    public const string RoundClosed = "round-closed.v1";

    /// <summary><see cref="RoundProposed"/>.</summary>
    public const string RoundProposed = "round-proposed.v1";

    /// <summary><see cref="RoundAbandoned"/>.</summary>
    public const string RoundAbandoned = "round-abandoned.v1";
}
