using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Verification;

namespace SupplyOracle.Aggregator.Intake;

/// <summary>
/// What intake checks a batch against, read from the oracle contract (docs/protocol.md sections 3 and 8): the round schedule,
/// the report-age horizon, the last committed round and the registered reporter set. Immutable: a refresh replaces it.
/// </summary>
public sealed record IntakeView
{
    /// <summary>Creates a view, checking its invariants (section 8: roundBlocks &gt; 0, maxReportAgeBlocks 1..=256).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its protocol range.</exception>
    public IntakeView(ulong roundBlocks, ulong maxReportAgeBlocks, ulong lastRound, ReporterSet reporters)
    {
        ArgumentOutOfRangeException.ThrowIfZero(roundBlocks);
        ArgumentOutOfRangeException.ThrowIfZero(maxReportAgeBlocks);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxReportAgeBlocks, 256UL);
        ArgumentNullException.ThrowIfNull(reporters);

        RoundBlocks = roundBlocks;
        MaxReportAgeBlocks = maxReportAgeBlocks;
        LastRound = lastRound;
        Reporters = reporters;
    }

    /// <summary><c>roundBlocks</c>: round r has reference block <c>B_r = r * roundBlocks</c>.</summary>
    public ulong RoundBlocks { get; }

    /// <summary><c>maxReportAgeBlocks</c>: the contract refuses a commit with <c>block.number - B_r</c> above it.</summary>
    public ulong MaxReportAgeBlocks { get; }

    /// <summary>The oracle's <c>lastRound</c>: rounds at or below it are already committed.</summary>
    public ulong LastRound { get; }

    /// <summary>The registered reporters.</summary>
    public ReporterSet Reporters { get; }
}

/// <summary>Supplies the current <see cref="IntakeView"/> (cached; refreshed from the contract).</summary>
public interface IIntakeViewSource
{
    /// <summary>The current view.</summary>
    ValueTask<IntakeView> GetAsync(CancellationToken cancellationToken);
}

/// <summary>The canonical chain as intake needs it: the head and the hash and time of a block by number.</summary>
public interface ICanonicalChain
{
    /// <summary>The current head block number.</summary>
    ValueTask<ulong> HeadAsync(CancellationToken cancellationToken);

    /// <summary>The canonical block at <paramref name="number"/>, or null when there is none yet.</summary>
    ValueTask<CanonicalBlock?> GetBlockAsync(ulong number, CancellationToken cancellationToken);
}

/// <summary>A canonical block's identity.</summary>
/// <param name="Number">Its number.</param>
/// <param name="Hash">Its hash.</param>
/// <param name="Timestamp">Its timestamp, unix seconds.</param>
public readonly record struct CanonicalBlock(ulong Number, Hash32 Hash, ulong Timestamp);
