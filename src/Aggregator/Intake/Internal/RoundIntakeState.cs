using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Intake.Internal;

/// <summary>
/// What intake knows of one round: the digest of each reporter's first accepted batch and the reporters caught
/// equivocating, the stream version read so far and the round's decision. Rebuilt from the round's stream on first use, so a restarted aggregator still treats a re-delivered
/// batch as a duplicate and a different one as equivocation. Guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class RoundIntakeState
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public bool Loaded { get; set; }

    public Dictionary<Address, Hash32> AcceptedDigests { get; } = [];

    /// <summary>
    /// (signer, digest) pairs seen. The digest alone is not a batch's identity: the EIP-712 ObservationBatch does not
    /// name its signer, so two honest reporters observing identical figures sign the same digest.
    /// </summary>
    public HashSet<(Address Reporter, Hash32 Digest)> Seen { get; } = [];

    public HashSet<Address> Equivocators { get; } = [];

    /// <summary>The version of the last event of the round's stream read so far (null: none).</summary>
    public long? Version { get; set; }

    /// <summary>
    /// How the round was decided (<c>round-proposed.v1</c> or <c>round-abandoned.v1</c> in its stream), or null while it
    /// is open: a batch that arrives after the decision can no longer be used and is not accepted.
    /// </summary>
    public string? Decision { get; set; }

    /// <summary>Last used (for eviction), Environment.TickCount64.</summary>
    public long LastUsed { get; set; }
}
