namespace SupplyOracle.EventStore.Projections;

/// <summary>What a rebuild found: the live state's digest, the rebuilt state's, and whether they are equal.</summary>
/// <param name="Projection">The projection's name.</param>
/// <param name="Position">The global position replayed to (the live state's position: its checkpoint, or the head for an inline projection).</param>
/// <param name="EventsReplayed">How many events were replayed.</param>
/// <param name="LiveDigest">A digest of the live tables before the rebuild (row count and MD5 of the sorted rows, per table).</param>
/// <param name="RebuiltDigest">The same digest of the rebuilt tables.</param>
public sealed record ProjectionRebuildResult(string Projection, long Position, long EventsReplayed, string LiveDigest, string RebuiltDigest)
{
    /// <summary>True when the rebuilt state equals the live one row for row.</summary>
    public bool Matches => string.Equals(LiveDigest, RebuiltDigest, StringComparison.Ordinal);
}

/// <summary>How a projection is kept live, which decides what a rebuild must lock to compare like with like.</summary>
public enum ProjectionMode
{
    /// <summary>Applied in every append's transaction: the rebuild locks the log head (appends wait) and replays to it.</summary>
    Inline,

    /// <summary>Applied by a catch-up subscription: the rebuild locks its checkpoint row and replays to the checkpoint.</summary>
    Async,
}

/// <summary>What to keep after a rebuild.</summary>
public enum RebuildCommit
{
    /// <summary>Keep the rebuilt state (the log is the truth; a mismatch is repaired).</summary>
    KeepRebuilt,

    /// <summary>Compare only, then roll back: the live state is untouched.</summary>
    VerifyOnly,
}
