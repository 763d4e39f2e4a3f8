namespace SupplyOracle.Aggregator.Intake;

/// <summary>
/// An observation batch accepted for a round (stream <c>round-&lt;r&gt;</c>, name <c>observation-accepted.v1</c>). It
/// carries the signed message exactly as signed, so the round can be re-verified and proposed from the log alone.
/// </summary>
/// <param name="Round">r.</param>
/// <param name="Reporter">The recovered signer (EIP-55).</param>
/// <param name="Digest">The batch's EIP-712 digest (0x hex); with the reporter, the dedup key (the digest does not name the signer).</param>
/// <param name="ReferenceBlock">B_r.</param>
/// <param name="ReferenceTime">Timestamp of B_r.</param>
/// <param name="ReferenceHash">Hash of B_r (0x hex).</param>
/// <param name="Observations">The 60-byte records (0x hex).</param>
/// <param name="Signature">65 bytes r||s||v (0x hex).</param>
/// <param name="TokenCount">How many token observations the batch holds.</param>
public sealed record ObservationAccepted(
    ulong Round, string Reporter, string Digest, ulong ReferenceBlock, ulong ReferenceTime, string ReferenceHash,
    string Observations, string Signature, int TokenCount);

/// <summary>
/// A batch rejected by intake, with the reason (stream <c>intake-rejections</c>, name <c>observation-rejected.v1</c>).
/// Rejections go to one stream rather than the round's so a flood of bogus round numbers cannot create streams.
/// </summary>
/// <param name="Round">The round as sent.</param>
/// <param name="Reason">The proto <c>RejectReason</c> name (stable).</param>
/// <param name="Detail">The explanation.</param>
/// <param name="Digest">The batch's EIP-712 digest when it could be computed, else null.</param>
/// <param name="ClaimedReporter">The informational reporter field (0x hex), if any.</param>
/// <param name="RecoveredSigner">The recovered signer, when recovery succeeded.</param>
/// <param name="Peer">Who sent it.</param>
public sealed record ObservationRejected(
    ulong Round, string Reason, string Detail, string? Digest, string? ClaimedReporter, string? RecoveredSigner, string Peer);

/// <summary>
/// A reporter signed two different batches for one round (docs/protocol.md section 5): both are dropped from the round and
/// kept here as evidence (stream <c>round-&lt;r&gt;</c>, name <c>equivocation-detected.v1</c>).
/// </summary>
/// <param name="Round">r.</param>
/// <param name="Reporter">The equivocating reporter.</param>
/// <param name="FirstDigest">Digest of the batch accepted first.</param>
/// <param name="Second">The second, different batch, exactly as signed.</param>
public sealed record EquivocationDetected(ulong Round, string Reporter, string FirstDigest, ObservationAccepted Second);

/// <summary>Stable event names of intake.</summary>
public static class IntakeEventNames
{
    /// <summary><see cref="ObservationAccepted"/>.</summary>
    public const string ObservationAccepted = "observation-accepted.v1";

    /// <summary><see cref="ObservationRejected"/>.</summary>
    public const string ObservationRejected = "observation-rejected.v1";

    /// <summary><see cref="EquivocationDetected"/>.</summary>
    public const string EquivocationDetected = "equivocation-detected.v1";

    /// <summary>The stream holding every rejection.</summary>
    public const string RejectionsStream = "intake-rejections";

    /// <summary>The stream of round <paramref name="round"/>.</summary>
    public static string RoundStream(ulong round) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"round-{round}");

    /// <summary>Registers the intake events on <paramref name="map"/>.</summary>
    public static EventStore.Serialization.EventTypeMap RegisterIntakeEvents(this EventStore.Serialization.EventTypeMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.Register<ObservationAccepted>(ObservationAccepted)
            .Register<ObservationRejected>(ObservationRejected)
            .Register<EquivocationDetected>(EquivocationDetected);
    }
}
