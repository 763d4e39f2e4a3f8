namespace SupplyOracle.Reporter.Gossip;

/// <summary>An aggregator's verdict on one of our batches.</summary>
/// <param name="Round">The batch's round.</param>
/// <param name="Accepted">Accepted (or already held: DUPLICATE).</param>
/// <param name="Reason">The reject reason (gossip.proto <c>RejectReason</c>), or null when accepted.</param>
/// <param name="Message">The aggregator's explanation of a rejection, or null.</param>
/// <param name="At">When it arrived.</param>
public sealed record BatchAcknowledgement(ulong Round, bool Accepted, string? Reason, string? Message, DateTimeOffset At);

/// <summary>One aggregator connection as the readiness endpoint reports it.</summary>
/// <param name="Aggregator">The aggregator's URL.</param>
/// <param name="Connected">A Connect stream is up.</param>
/// <param name="LastAcknowledgement">The acknowledgement of our latest acknowledged batch, or null.</param>
/// <param name="Unacknowledged">Batches sent or queued and not yet acknowledged.</param>
/// <param name="OldestUnacknowledgedSince">When the oldest of them was queued, or null.</param>
public sealed record AggregatorConnectionState(string Aggregator, bool Connected, BatchAcknowledgement? LastAcknowledgement, int Unacknowledged,
    DateTimeOffset? OldestUnacknowledgedSince)
{
    /// <summary>How long a batch may wait for its acknowledgement before the connection no longer counts as delivering.</summary>
    public static readonly TimeSpan AcknowledgementTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Delivering: the stream is up, the last acknowledgement (if any) accepted our batch, and no batch has waited
    /// longer than <see cref="AcknowledgementTimeout"/> for one.
    /// </summary>
    public bool Delivering(DateTimeOffset now) =>
        Connected && LastAcknowledgement is not { Accepted: false } && !(OldestUnacknowledgedSince is { } since && now - since > AcknowledgementTimeout);
}
