using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Rules.Engine;

/// <summary>
/// The figures behind a token's outcome (docs/protocol.md section 5). A figure is null when the evaluation stopped before
/// the step that computes it.
/// </summary>
public sealed record TokenFigures
{
    /// <summary><c>|V|</c>: how many reporters observed the token (step 1).</summary>
    public int ObservationCount { get; init; }

    /// <summary><c>c*</c>, the supply base (step 3).</summary>
    public TokenAmount? SupplyBase { get; init; }

    /// <summary>How many reporters reported exactly <c>c*</c>.</summary>
    public int SupplyBaseCount { get; init; }

    /// <summary>True when <c>c*</c> does not fit the report's uint128 circulating field: the token freezes as FrozenSupply.</summary>
    public bool SupplyBaseExceedsUInt128 { get; init; }

    /// <summary>Reporters whose circulating differs from <c>c*</c> (evidence, ascending).</summary>
    public IReadOnlyList<Address> Disagreeing { get; init; } = [];

    /// <summary><c>m</c>, the median of the factors (step 4).</summary>
    public Wad? Median { get; init; }

    /// <summary>The divergence band <c>ceil(m * divergenceToleranceBps / 10000)</c> (step 5).</summary>
    public Wad? Band { get; init; }

    /// <summary>How many factors lie within the band of the median (step 5).</summary>
    public int? Agree { get; init; }

    /// <summary>Reporters whose factor lies outside the band (step 5; they still count in the median), ascending.</summary>
    public IReadOnlyList<Address> Outliers { get; init; } = [];

    /// <summary>The tier-rounded median (step 6).</summary>
    public Wad? Target { get; init; }

    /// <summary>The factor committed (step 11).</summary>
    public Wad? Next { get; init; }

    /// <summary>The clamps that moved the value (steps 9 and 10).</summary>
    public ClampsApplied Clamps { get; init; }
}

/// <summary>One token's outcome: its reason, its figures, and, when it enters the report, the predicted new state.</summary>
/// <param name="Token">The token.</param>
/// <param name="Reason">Why it ended where it did.</param>
/// <param name="Update">The report entry, or null when the token is left out of the report.</param>
/// <param name="Figures">The figures behind the outcome.</param>
/// <param name="NewState">The oracle state the contract should hold after the commit, or null when the token is left out.</param>
public sealed record TokenOutcome(Address Token, OutcomeReason Reason, ReportUpdate? Update, TokenFigures Figures, TokenState? NewState)
{
    /// <summary>True when the token appears in the report (Commit, or a freeze of a token already committed).</summary>
    public bool InReport => Update is not null;
}
