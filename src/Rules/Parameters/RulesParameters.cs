using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Rules.Parameters;

/// <summary>
/// The on-chain parameters of docs/protocol.md section 8 with their defaults. <see cref="Validate"/> applies the same
/// rules the contract enforces when the owner sets them; the engine validates before it evaluates anything.
/// Times are seconds.
/// </summary>
public sealed record RulesParameters
{
    /// <summary>The largest reporter set (section 8).</summary>
    public const int MaxReporters = 31;

    /// <summary>The blockhash horizon (section 8: maxReportAgeBlocks ..= 256).</summary>
    public const ulong BlockhashHorizon = 256;

    /// <summary>Basis points in 1.0.</summary>
    public const uint BpsDenominator = 10_000;

    /// <summary>Blocks per round: round r observes block r * roundBlocks. Default 300; must be &gt; 0.</summary>
    public ulong RoundBlocks { get; init; } = 300;

    /// <summary>Quorum and agreement threshold. Default 3; 1 ..= reporter count.</summary>
    public int MinReporters { get; init; } = 3;

    /// <summary>Divergence band in bps of the median. Default 200; ..= 10,000.</summary>
    public uint DivergenceToleranceBps { get; init; } = 200;

    /// <summary>Cooldown between commits of one token. Default 1 hour; must be &gt; 0.</summary>
    public ulong MinCommitInterval { get; init; } = 3_600;

    /// <summary>Step clamp per commit in bps of the previous factor. Default 1000; 1 ..= 10,000.</summary>
    public uint MaxFactorDeltaBps { get; init; } = 1_000;

    /// <summary>Window length. Default 1 day; must be &gt; 0.</summary>
    public ulong Window { get; init; } = 86_400;

    /// <summary>Window clamp in bps of the window anchor. Default 2500; 1 ..= 10,000.</summary>
    public uint MaxWindowDeltaBps { get; init; } = 2_500;

    /// <summary>Informational staleness age of reads. Default 1 day.</summary>
    public ulong ReportStaleAfter { get; init; } = 86_400;

    /// <summary>Age past which reads revert. Default 30 days; must be &gt;= reportStaleAfter.</summary>
    public ulong MaxCommitAge { get; init; } = 30 * 86_400;

    /// <summary>How many blocks after B_r a report may be committed. Default 256; 1 ..= 256.</summary>
    public ulong MaxReportAgeBlocks { get; init; } = BlockhashHorizon;

    /// <summary>The registered reporters: at most 31, distinct, non-zero.</summary>
    public IReadOnlyList<Address> Reporters { get; init; } = [];

    /// <summary>
    /// Checks every rule of section 8; throws <see cref="RulesInputException"/> naming the first parameter that breaks
    /// one (field names as in the protocol, prefixed with <c>parameters.</c>).
    /// </summary>
    public void Validate()
    {
        Require(RoundBlocks > 0, "roundBlocks", RulesInputError.OutOfRange, $"must be > 0, got {RoundBlocks}");
        Require(Reporters.Count <= MaxReporters, "reporters", RulesInputError.OutOfRange, $"at most {MaxReporters} reporters, got {Reporters.Count}");
        var seen = new HashSet<Address>();
        for (var i = 0; i < Reporters.Count; i++)
        {
            Require(!Reporters[i].IsZero, $"reporters[{i}]", RulesInputError.OutOfRange, "the zero address cannot be a reporter");
            Require(seen.Add(Reporters[i]), $"reporters[{i}]", RulesInputError.Duplicate, $"{Reporters[i]} is listed twice");
        }

        Require(MinReporters >= 1, "minReporters", RulesInputError.OutOfRange, $"must be >= 1, got {MinReporters}");
        Require(MinReporters <= Reporters.Count, "minReporters", RulesInputError.Inconsistent,
            $"must be <= the reporter count {Reporters.Count}, got {MinReporters}");
        Require(DivergenceToleranceBps <= BpsDenominator, "divergenceToleranceBps", RulesInputError.OutOfRange,
            $"must be <= 10000, got {DivergenceToleranceBps}");
        Require(MinCommitInterval > 0, "minCommitInterval", RulesInputError.OutOfRange, "must be > 0, got 0");
        Require(MaxFactorDeltaBps is >= 1 and <= BpsDenominator, "maxFactorDeltaBps", RulesInputError.OutOfRange,
            $"must be in 1..=10000, got {MaxFactorDeltaBps}");
        Require(Window > 0, "window", RulesInputError.OutOfRange, "must be > 0, got 0");
        Require(MaxWindowDeltaBps is >= 1 and <= BpsDenominator, "maxWindowDeltaBps", RulesInputError.OutOfRange,
            $"must be in 1..=10000, got {MaxWindowDeltaBps}");
        Require(MaxCommitAge >= ReportStaleAfter, "maxCommitAge", RulesInputError.Inconsistent,
            $"must be >= reportStaleAfter {ReportStaleAfter}, got {MaxCommitAge}");
        Require(MaxReportAgeBlocks is >= 1 and <= BlockhashHorizon, "maxReportAgeBlocks", RulesInputError.OutOfRange,
            $"must be in 1..=256, got {MaxReportAgeBlocks}");
    }

    private static void Require(bool condition, string field, RulesInputError error, string message)
    {
        if (!condition)
        {
            throw new RulesInputException("parameters." + field, error, message);
        }
    }
}
