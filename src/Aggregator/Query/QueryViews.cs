using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Query;

/// <summary>One token's committed state as this aggregator saw it confirmed (docs/protocol.md section 9), from its log.</summary>
/// <param name="Token">The token.</param>
/// <param name="Factor">Committed factor; null when never committed.</param>
/// <param name="Circulating">Committed circulating supply (native units); null when never committed.</param>
/// <param name="CommittedAt">Reference time of the last Commit, unix seconds; null when never committed.</param>
/// <param name="Frozen">True when the last confirmed report froze the token.</param>
/// <param name="Round">Round of the last confirmed Commit or freeze.</param>
/// <param name="LastStatus">Status of the token in that report.</param>
/// <param name="LastOutcome">The rules' latest outcome for the token (section 5: Commit, NoQuorum, TooSoon, ...).</param>
/// <param name="LastOutcomeRound">The round of <see cref="LastOutcome"/>.</param>
public sealed record TokenView(Address Token, Wad? Factor, TokenAmount? Circulating, ulong? CommittedAt, bool Frozen,
    ulong? Round, UpdateStatus? LastStatus, string? LastOutcome, ulong? LastOutcomeRound);

/// <summary>
/// A token as the API serves it: the log's <see cref="TokenView"/> with what only the chain knows now (docs/protocol.md
/// section 9, <c>freeFloatFactor</c>): the age and stale flag from the latest block's timestamp and the oracle's
/// on-chain <c>reportStaleAfter</c>, and the pauses. Null chain fields: the aggregator has no chain view.
/// </summary>
/// <param name="Token">The token.</param>
/// <param name="Factor">Committed factor; null when never committed.</param>
/// <param name="Circulating">Committed circulating supply (native units); null when never committed.</param>
/// <param name="CommittedAt">Reference time of the last Commit, unix seconds; null when never committed.</param>
/// <param name="AgeSeconds">The latest block's timestamp minus <see cref="CommittedAt"/>.</param>
/// <param name="Frozen">As <c>freeFloatFactor</c> says: disputed by the last report, or paused (token or global).</param>
/// <param name="Paused">The guardian paused the token, or the whole oracle (section 1).</param>
/// <param name="Stale">As <c>freeFloatFactor</c> says: never committed, or chain time past <c>committedAt + reportStaleAfter</c>.</param>
/// <param name="Round">Round of the last confirmed Commit or freeze.</param>
/// <param name="LastStatus">Status of the token in that report.</param>
/// <param name="LastOutcome">The rules' latest outcome for the token (section 5: Commit, NoQuorum, TooSoon, ...; Unlisted while paused).</param>
/// <param name="LastOutcomeRound">The round of <see cref="LastOutcome"/>.</param>
public sealed record TokenStatus(Address Token, Wad? Factor, TokenAmount? Circulating, ulong? CommittedAt, long? AgeSeconds, bool Frozen, bool? Paused,
    bool? Stale, ulong? Round, UpdateStatus? LastStatus, string? LastOutcome, ulong? LastOutcomeRound);

/// <summary>One round that touched a token.</summary>
/// <param name="Round">The round.</param>
/// <param name="Outcome">What became of the token: <c>left-out</c>, <c>in-report</c>, <c>proposed</c>, <c>committed</c>, <c>frozen</c>, <c>abandoned</c> or <c>superseded</c>.</param>
/// <param name="Reason">The rules' outcome (section 5), e.g. <c>Commit</c>, <c>NoQuorum</c>, <c>FrozenDivergence</c>.</param>
/// <param name="Median">The median of the reporters' factors (section 5 step 4), when any reporter observed it.</param>
/// <param name="Factor">The factor in the proposed report, if any.</param>
/// <param name="Circulating">The circulating value in the proposed report, if any.</param>
/// <param name="Status">The status in the proposed report, if any.</param>
public sealed record TokenHistoryEntry(ulong Round, string Outcome, string Reason, Wad? Median, Wad? Factor, TokenAmount? Circulating, UpdateStatus? Status);

/// <summary>A reporter's participation as seen in the log.</summary>
/// <param name="Reporter">The reporter's address.</param>
/// <param name="BatchesAccepted">Observation batches accepted (rounds observed).</param>
/// <param name="TokenObservations">Token observations in those batches.</param>
/// <param name="LastObservedRound">The last round it sent an accepted batch for.</param>
/// <param name="Attestations">Rounds whose transmitted commit carried its attestation.</param>
/// <param name="LastAttestedRound">The last such round.</param>
/// <param name="MeanMedianDistanceBps">Mean distance of its factors from the round's median, in bps of the median.</param>
/// <param name="LastMedianDistanceBps">The largest distance in its latest closed round, bps.</param>
/// <param name="LastMedianRound">That round.</param>
/// <param name="DisagreementRounds">Closed rounds in which some circulating value it sent differed from c* (section 5 step 3).</param>
/// <param name="Disagreements">Token observations whose circulating value differed from c*.</param>
/// <param name="Equivocations">Rounds in which it signed two different batches (section 5).</param>
/// <param name="LastEquivocationRound">The last such round.</param>
/// <param name="Rejections">Its rejected batches by intake reason (proto <c>RejectReason</c> name).</param>
public sealed record ReporterView(Address Reporter, int BatchesAccepted, long TokenObservations, ulong? LastObservedRound, int Attestations,
    ulong? LastAttestedRound, double? MeanMedianDistanceBps, long? LastMedianDistanceBps, ulong? LastMedianRound, int DisagreementRounds,
    int Disagreements, int Equivocations, ulong? LastEquivocationRound, IReadOnlyDictionary<string, int> Rejections);

/// <summary>A round's state and the figures of each lifecycle step.</summary>
/// <param name="Round">r.</param>
/// <param name="ReferenceBlock">B_r, once a batch was accepted.</param>
/// <param name="ReferenceTime">Timestamp of B_r.</param>
/// <param name="Phase">observing, closed, proposed, transmitted, confirmed, abandoned or superseded.</param>
/// <param name="Batches">Accepted observation batches.</param>
/// <param name="TokenObservations">Token observations in them.</param>
/// <param name="Equivocations">Reporters caught equivocating.</param>
/// <param name="Attestations">Attestations carried by the transmitted commit.</param>
/// <param name="ClosedAt">When the round was closed.</param>
/// <param name="StateBlock">The block the oracle state was read at.</param>
/// <param name="BatchesUsed">Batches the report was computed from.</param>
/// <param name="ProposedAt">When the report was proposed.</param>
/// <param name="ReportDigest">The proposed report's EIP-712 digest.</param>
/// <param name="Updates">Updates in the proposed report.</param>
/// <param name="TransmittedAt">When the commit was about to be sent.</param>
/// <param name="Sender">The transaction key's address.</param>
/// <param name="ConfirmedAt">When the commit was confirmed.</param>
/// <param name="TransactionHash">The commit transaction.</param>
/// <param name="CommitBlock">Its block.</param>
/// <param name="GasUsed">Its gas.</param>
/// <param name="Replacements">Fee bumps it took.</param>
/// <param name="EndedAt">When the round ended without this aggregator's commit.</param>
/// <param name="EndReason">Why.</param>
/// <param name="FirstSeenAt">When the first event of the round was appended.</param>
public sealed record RoundView(ulong Round, ulong? ReferenceBlock, ulong? ReferenceTime, string Phase, int Batches, int TokenObservations,
    int Equivocations, int Attestations, DateTimeOffset? ClosedAt, ulong? StateBlock, int? BatchesUsed, DateTimeOffset? ProposedAt,
    string? ReportDigest, int? Updates, DateTimeOffset? TransmittedAt, Address? Sender, DateTimeOffset? ConfirmedAt, string? TransactionHash,
    ulong? CommitBlock, ulong? GasUsed, int? Replacements, DateTimeOffset? EndedAt, string? EndReason, DateTimeOffset FirstSeenAt);

/// <summary>One event of a round's timeline.</summary>
/// <param name="Position">Its global log position.</param>
/// <param name="Event">Its type name (e.g. <c>observation-accepted.v1</c>; types the projection does not know appear too).</param>
/// <param name="At">When it was appended.</param>
/// <param name="Detail">A one-line summary, or null for an unknown type.</param>
public sealed record RoundTimelineEntry(long Position, string Event, DateTimeOffset At, string? Detail);

/// <summary>A round with its timeline.</summary>
/// <param name="Round">The round.</param>
/// <param name="Timeline">Its events, in log order.</param>
public sealed record RoundDetail(RoundView Round, IReadOnlyList<RoundTimelineEntry> Timeline);

/// <summary>Rows changed after a log position (for <c>Watch</c>).</summary>
/// <param name="Position">The highest position the changes reflect; pass it to the next call.</param>
/// <param name="Tokens">Tokens whose row changed.</param>
/// <param name="Rounds">Rounds whose row changed.</param>
public sealed record QueryChanges(long Position, IReadOnlyList<TokenView> Tokens, IReadOnlyList<RoundView> Rounds);

/// <summary>The query tables could not be read (database unreachable); callers answer "unavailable" (HTTP 503, gRPC UNAVAILABLE).</summary>
public sealed class QueryUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QueryUnavailableException(string operation, Exception inner)
        : base($"query {operation}: the database is unavailable: {inner.Message}", inner)
    {
        Operation = operation;
    }

    /// <summary>What was being read.</summary>
    public string Operation { get; }
}
