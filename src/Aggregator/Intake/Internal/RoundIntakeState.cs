namespace SupplyOracle.Aggregator.Intake.Internal;

/// <summary>
/// Serializes this process's intake decisions for one round (<see cref="Gate"/>), so batches of one round arriving together
/// do not conflict on the stream version with each other; what was recorded is read from the round's
/// <see cref="EventSourcing.RoundLedger"/> at every decision.
/// </summary>
internal sealed class RoundIntakeState
{
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Last used (for eviction), Environment.TickCount64.</summary>
    public long LastUsed { get; set; }
}
