using System.Text.Json.Serialization;

namespace SupplyOracle.Aggregator.Projections.Documents;

/// <summary>
/// One token's committed state as this aggregator saw it confirmed (docs/protocol.md section 9) and the rules' latest
/// outcome for it (id = the token, lower-case hex). Served as <c>TokenView</c>.
/// </summary>
public sealed class TokenDocument
{
    /// <summary>The token (lower-case 0x hex).</summary>
    public string Id { get; set; } = "";

    /// <summary>Committed factor.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Factor { get; set; }

    /// <summary>Committed circulating supply, decimal.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Circulating { get; set; }

    /// <summary>Reference time of the last Commit.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? CommittedAt { get; set; }

    /// <summary>True when the last confirmed report froze the token.</summary>
    public bool Frozen { get; set; }

    /// <summary>Round of the last confirmed Commit or freeze.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Round { get; set; }

    /// <summary>Status of the token in that report.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public short? LastStatus { get; set; }

    /// <summary>The rules' latest outcome.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LastOutcome { get; set; }

    /// <summary>Its round.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? LastOutcomeRound { get; set; }

    /// <summary>The log position of the last event that changed this document (for <c>Watch</c>).</summary>
    public long UpdatedPosition { get; set; }
}

/// <summary>
/// The rounds that touched one token, newest first, at most <see cref="MaxEntries"/> (what the API can return), id = the
/// token. A copy of the token's entries of <see cref="RoundTokensDocument"/>, kept per token so a history is one read.
/// </summary>
public sealed class TokenHistoryDocument
{
    /// <summary>The most rounds kept (the query API's cap, <c>QueryReader.MaxRounds</c>).</summary>
    public const int MaxEntries = 1_000;

    /// <summary>The token (lower-case 0x hex).</summary>
    public string Id { get; set; } = "";

    /// <summary>The entries, descending by round.</summary>
    public List<TokenHistoryItem> Entries { get; set; } = [];
}

/// <summary>One round that touched a token.</summary>
public sealed class TokenHistoryItem
{
    /// <summary>The round.</summary>
    public long Round { get; set; }

    /// <summary>What became of the token.</summary>
    public string Outcome { get; set; } = "";

    /// <summary>The rules' outcome.</summary>
    public string Reason { get; set; } = "";

    /// <summary>The median of the reporters' factors.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Median { get; set; }

    /// <summary>The proposed factor.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ulong? Factor { get; set; }

    /// <summary>The proposed circulating value, decimal.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Circulating { get; set; }

    /// <summary>The proposed status.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public short? Status { get; set; }
}

/// <summary>A reporter's participation as seen in the log (id = the reporter, lower-case hex). Served as <c>ReporterView</c>.</summary>
public sealed class ReporterDocument
{
    /// <summary>The reporter (lower-case 0x hex).</summary>
    public string Id { get; set; } = "";

    /// <summary>Accepted batches.</summary>
    public int BatchesAccepted { get; set; }

    /// <summary>Token observations in them.</summary>
    public long TokenObservations { get; set; }

    /// <summary>The last round it sent an accepted batch for.</summary>
    public long? LastObservedRound { get; set; }

    /// <summary>Rounds whose transmitted commit carried its attestation.</summary>
    public int Attestations { get; set; }

    /// <summary>The last such round.</summary>
    public long? LastAttestedRound { get; set; }

    /// <summary>Factors compared with a median.</summary>
    public long MedianSamples { get; set; }

    /// <summary>Sum of their distances from the median, bps (decimal; exact).</summary>
    public string MedianDistanceBpsSum { get; set; } = "0";

    /// <summary>The largest distance in its latest closed round.</summary>
    public long? LastMedianDistanceBps { get; set; }

    /// <summary>That round.</summary>
    public long? LastMedianRound { get; set; }

    /// <summary>Closed rounds with a circulating value other than c*.</summary>
    public int DisagreementRounds { get; set; }

    /// <summary>Observations with a circulating value other than c*.</summary>
    public int Disagreements { get; set; }

    /// <summary>Rounds in which it equivocated.</summary>
    public int Equivocations { get; set; }

    /// <summary>The last such round.</summary>
    public long? LastEquivocationRound { get; set; }

    /// <summary>Rejected batches by reason (only those whose signer intake recovered and found registered).</summary>
    public SortedDictionary<string, int> Rejections { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Totals over the whole read model, kept by the projection so the monitor reads one document (id =
/// <see cref="TheId"/>): rounds per phase, attestations, the last confirmed round, event types not projected.
/// </summary>
public sealed class QueryTotalsDocument
{
    /// <summary>The one document's id.</summary>
    public const string TheId = "totals";

    /// <summary><see cref="TheId"/>.</summary>
    public string Id { get; set; } = TheId;

    /// <summary>Rounds per phase.</summary>
    public SortedDictionary<string, long> Phases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sum of the rounds' attestations.</summary>
    public long Attestations { get; set; }

    /// <summary>The highest confirmed round (0 when none).</summary>
    public long LastConfirmedRound { get; set; }

    /// <summary>Event types the projection does not know, with their counts.</summary>
    public SortedDictionary<string, long> IgnoredEvents { get; set; } = new(StringComparer.Ordinal);
}
