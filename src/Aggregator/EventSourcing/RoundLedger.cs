using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;

namespace SupplyOracle.Aggregator.EventSourcing;

/// <summary>
/// The write model of a <c>round-&lt;r&gt;</c> stream that intake and the proposal hub decide on: each reporter's first
/// accepted batch, the equivocators, every (reporter, digest) seen and every (digest, signer) attestation recorded. An
/// inline Marten snapshot (updated in the transaction of every append), so <see cref="RoundAppender"/> loads it and the
/// stream version with <c>FetchForWriting</c> in one round trip and appends at that version.
/// </summary>
/// <remarks>
/// Marten has no unique index on event ids, so a retried or relayed batch is recognised here, in the state read at the
/// version the append expects: two writers deciding on the same version cannot both append (the loser re-reads).
/// </remarks>
public sealed class RoundLedger
{
    /// <summary>The stream key (<c>round-&lt;r&gt;</c>).</summary>
    public string Id { get; set; } = "";

    /// <summary>Reporter (EIP-55) to the digest of its first accepted batch.</summary>
    public Dictionary<string, string> Accepted { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reporters caught signing two batches (docs/protocol.md section 5).</summary>
    public HashSet<string> Equivocators { get; set; } = new(StringComparer.Ordinal);

    /// <summary>"reporter/digest" of every batch recorded (accepted or as equivocation evidence).</summary>
    public HashSet<string> Seen { get; set; } = new(StringComparer.Ordinal);

    /// <summary>"digest/signer" of every accepted attestation.</summary>
    public HashSet<string> Attested { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How the round was decided (<c>round-proposed.v1</c> or <c>round-abandoned.v1</c>), or null while it is open: a batch
    /// that arrives after the decision can no longer be used and is not accepted (issue 18).
    /// </summary>
    public string? Decision { get; set; }

    /// <summary>The key of a batch in <see cref="Seen"/>.</summary>
    public static string BatchKey(string reporter, string digest) => string.Concat(reporter, "/", digest).ToLowerInvariant();

    /// <summary>Folds an accepted batch.</summary>
    public void Apply(ObservationAccepted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Accepted.TryAdd(e.Reporter, e.Digest);
        Seen.Add(BatchKey(e.Reporter, e.Digest));
    }

    /// <summary>Folds an equivocation.</summary>
    public void Apply(EquivocationDetected e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Equivocators.Add(e.Reporter);
        Seen.Add(BatchKey(e.Reporter, e.Second.Digest));
    }

    /// <summary>Folds the round's proposal (its decision).</summary>
    public void Apply(RoundProposed e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Decision ??= $"already proposed (report {e.ReportDigest}, computed from the batches accepted before it)";
    }

    /// <summary>Folds the round's abandonment (its decision).</summary>
    public void Apply(RoundAbandoned e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Decision ??= $"abandoned ({e.Reason})";
    }

    /// <summary>Folds an accepted attestation.</summary>
    public void Apply(AttestationAccepted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Attested.Add(BatchKey(e.Reporter, e.ReportDigest));
    }
}
