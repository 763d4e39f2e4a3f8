namespace SupplyOracle.Rules.Engine;

/// <summary>Why a token ended where it did (docs/protocol.md section 5).</summary>
public enum OutcomeReason
{
    /// <summary>Step 2: fewer than <c>minReporters</c> observations; left out, recorded off-chain.</summary>
    NoQuorum,

    /// <summary>Step 3: fewer than <c>minReporters</c> reporters agree on the supply base <c>c*</c> (or <c>c*</c> does not fit uint128).</summary>
    FrozenSupply,

    /// <summary>Step 5: fewer than <c>minReporters</c> factors within the band around the median.</summary>
    FrozenDivergence,

    /// <summary>Step 8: the cooldown since the last commit has not passed; left out, recorded off-chain.</summary>
    TooSoon,

    /// <summary>Step 11: the token commits <c>(c*, next)</c>.</summary>
    Commit,

    /// <summary>Observed, but not listed in the oracle at <c>stateBlock</c>: the contract would reject it, so it is left out.</summary>
    Unlisted,
}

/// <summary>The status byte of a report update (docs/protocol.md section 7).</summary>
public enum UpdateStatus : byte
{
    /// <summary>The factor and circulating are committed.</summary>
    Commit = 0,

    /// <summary>The factors diverge; the committed factor stays.</summary>
    FrozenDivergence = 1,

    /// <summary>The reporters disagree on the supply base; the committed factor stays.</summary>
    FrozenSupply = 2,
}

/// <summary>Which clamps moved the value on its way from target to next (docs/protocol.md section 5, steps 9 and 10).</summary>
[Flags]
public enum ClampsApplied
{
    /// <summary>No clamp moved the value.</summary>
    None = 0,

    /// <summary>Step 9 raised it to <c>prev - step</c>.</summary>
    StepLow = 1,

    /// <summary>Step 9 lowered it to <c>prev + step</c>.</summary>
    StepHigh = 2,

    /// <summary>Step 10 raised it to <c>anchor - wstep</c>.</summary>
    WindowLow = 4,

    /// <summary>Step 10 lowered it to <c>anchor + wstep</c>.</summary>
    WindowHigh = 8,

    /// <summary>Step 10 rolled the window: <c>anchor = prev</c>, <c>anchorAt = now</c>.</summary>
    AnchorRolled = 16,
}
