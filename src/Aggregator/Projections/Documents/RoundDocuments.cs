using System.Text.Json.Serialization;

namespace SupplyOracle.Aggregator.Projections.Documents;

/// <summary>
/// A round's state and the figures of each lifecycle step (docs/protocol.md sections 5 to 7), one Marten document per
/// round (id = r), written by <see cref="QueryProjection"/>. Served as <c>RoundView</c>.
/// </summary>
public sealed class RoundDocument
{
    /// <summary>r.</summary>
    public long Id { get; set; }

    /// <summary>B_r, once a batch was accepted.</summary>
    public long? ReferenceBlock { get; set; }

    /// <summary>Timestamp of B_r.</summary>
    public long? ReferenceTime { get; set; }

    /// <summary>observing, closed, proposed, transmitted, confirmed, abandoned, superseded or failed.</summary>
    public string Phase { get; set; } = "observing";

    /// <summary>Accepted batches.</summary>
    public int Batches { get; set; }

    /// <summary>Token observations in them.</summary>
    public int TokenObservations { get; set; }

    /// <summary>Reporters with an accepted batch (each once, in acceptance order): the dashboard's participation grid.</summary>
    public List<string> Observers { get; set; } = [];

    /// <summary>Reporters caught equivocating (counted once each).</summary>
    public List<string> Equivocators { get; set; } = [];

    /// <summary>The log position of the round's latest <c>equivocation-detected.v1</c> (the dashboard's newest equivocations), null when none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastEquivocationPosition { get; set; }

    /// <summary>Reporters whose attestation a transmitted commit carried (counted once each).</summary>
    public List<string> Attesters { get; set; } = [];

    /// <summary>Attestations as the view shows them (set when the round existed at its transmission).</summary>
    public int Attestations { get; set; }

    /// <summary>When the first event of the round was appended.</summary>
    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>When the round was closed.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The block the oracle state was read at.</summary>
    public long? StateBlock { get; set; }

    /// <summary>Batches the report was computed from.</summary>
    public int? BatchesUsed { get; set; }

    /// <summary>When the report was proposed.</summary>
    public DateTimeOffset? ProposedAt { get; set; }

    /// <summary>The proposal id.</summary>
    public string? ProposalId { get; set; }

    /// <summary>The proposed report's EIP-712 digest.</summary>
    public string? ReportDigest { get; set; }

    /// <summary>Updates in the proposed report.</summary>
    public int? Updates { get; set; }

    /// <summary>When the commit was about to be sent.</summary>
    public DateTimeOffset? TransmittedAt { get; set; }

    /// <summary>The transaction key's address (lower-case hex).</summary>
    public string? Sender { get; set; }

    /// <summary>When the commit was confirmed.</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>The commit transaction.</summary>
    public string? TransactionHash { get; set; }

    /// <summary>Its block.</summary>
    public long? CommitBlock { get; set; }

    /// <summary>Its gas.</summary>
    public long? GasUsed { get; set; }

    /// <summary>Fee bumps it took.</summary>
    public int? Replacements { get; set; }

    /// <summary>When the round ended without this aggregator's commit.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why.</summary>
    public string? EndReason { get; set; }

    /// <summary>The log position of the last event that changed this document (for <c>Watch</c>).</summary>
    public long UpdatedPosition { get; set; }
}

/// <summary>Every event of a round stream in log order (unknown event types included): the round's timeline (id = r).</summary>
public sealed class RoundTimelineDocument
{
    /// <summary>r.</summary>
    public long Id { get; set; }

    /// <summary>The entries, ascending by position.</summary>
    public List<TimelineEntry> Entries { get; set; } = [];
}

/// <summary>One timeline entry.</summary>
public sealed class TimelineEntry
{
    /// <summary>The global log position.</summary>
    public long Position { get; set; }

    /// <summary>The event type name.</summary>
    public string Event { get; set; } = "";

    /// <summary>When it was appended.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>A one-line summary, or null for an unknown type.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; set; }
}

/// <summary>
/// What a round did to each token (id = r): the section 5 figures taken at close (median, c*), the rules' outcome and the
/// proposed update. The round's source for its tokens' history and, when it is confirmed, their committed state.
/// </summary>
public sealed class RoundTokensDocument
{
    /// <summary>r.</summary>
    public long Id { get; set; }

    /// <summary>Per token (lower-case hex), ordinal order.</summary>
    public SortedDictionary<string, RoundTokenEntry> Tokens { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One token in one round.</summary>
public sealed class RoundTokenEntry
{
    /// <summary>left-out, in-report, proposed, committed, frozen, abandoned, superseded or failed; null before the close named it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Outcome { get; set; }

    /// <summary>The rules' outcome (section 5).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }

    /// <summary>Factors observed at close (0 when none).</summary>
    public int Observations { get; set; }

    /// <summary>The median factor at close (step 4), kept from the first close.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? FigureMedian { get; set; }

    /// <summary>The median shown in the history (the figure, as the latest close saw it).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Median { get; set; }

    /// <summary>c* (step 3), decimal.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SupplyBase { get; set; }

    /// <summary>How many reported c*.</summary>
    public int SupplyBaseCount { get; set; }

    /// <summary>The proposed factor.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Factor { get; set; }

    /// <summary>The proposed circulating value, decimal.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Circulating { get; set; }

    /// <summary>The proposed status (0 Commit, 1 FrozenDivergence, 2 FrozenSupply).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public short? Status { get; set; }

    /// <summary>True when the entry is in the token's history (the close or the proposal named it).</summary>
    public bool InHistory { get; set; }
}

/// <summary>
/// The accepted batches of an open round minus equivocators (id = r), waiting for the close that takes the median and c*
/// from them (section 5); deleted at the close. Kept as the events carry them (the encoded observations), so accepting a
/// batch costs no per-token work; a round that opens and closes within one daemon page never stores this document.
/// </summary>
public sealed class RoundObservationsDocument
{
    /// <summary>r.</summary>
    public long Id { get; set; }

    /// <summary>Per reporter (lower-case hex): its accepted batches' encoded observations (hex), in log order.</summary>
    public SortedDictionary<string, List<string>> Batches { get; set; } = new(StringComparer.Ordinal);
}
