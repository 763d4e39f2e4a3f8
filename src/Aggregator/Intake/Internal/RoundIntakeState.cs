using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Intake.Internal;

/// <summary>
/// What intake knows of one round: the digest of each reporter's first accepted batch and the reporters caught
/// equivocating. Rebuilt from the round's stream on first use, so a restarted aggregator still treats a re-delivered
/// batch as a duplicate and a different one as equivocation. Guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class RoundIntakeState
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public bool Loaded { get; set; }

    public Dictionary<Address, Hash32> AcceptedDigests { get; } = [];

    public HashSet<Hash32> SeenDigests { get; } = [];

    public HashSet<Address> Equivocators { get; } = [];

    /// <summary>Last used (for eviction), Environment.TickCount64.</summary>
    public long LastUsed { get; set; }
}
