using System.Numerics;
using SupplyOracle.Reporter.Supply;

namespace SupplyOracle.Reporter.FreeFloat;

/// <summary>
/// Free float = circulating minus the balances, at <c>B_r</c>, of the extra locked addresses the operator knows of
/// (they are read in the same pinned batch as the excluded balances, see <see cref="PinnedSupplyReader"/>).
/// </summary>
public sealed class ExtraLockedSource : IFreeFloatSource
{
    /// <inheritdoc />
    public string Name => "extra-locked";

    /// <inheritdoc />
    public Task<BigInteger> GetAsync(TokenSupply supply, PinnedBlock block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(supply);
        var freeFloat = supply.Circulating - supply.ExtraLockedBalance;
        return freeFloat.Sign < 0
            ? throw new FreeFloatSourceException(Name, FreeFloatFailure.OutOfRange,
                $"extra locked balance {supply.ExtraLockedBalance} exceeds circulating {supply.Circulating}")
            : Task.FromResult(freeFloat);
    }
}

/// <summary>A fixed free-float value set by the operator, with a note saying where it comes from.</summary>
/// <param name="Value">The free-float supply in native units.</param>
/// <param name="Note">Why (shown in logs; required so a fixed value is never anonymous).</param>
public sealed record FixedSource(BigInteger Value, string Note) : IFreeFloatSource
{
    /// <inheritdoc />
    public string Name => "fixed";

    /// <inheritdoc />
    public Task<BigInteger> GetAsync(TokenSupply supply, PinnedBlock block, CancellationToken cancellationToken) => Task.FromResult(Value);
}
