using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Rules.Engine;

/// <summary>
/// One 45-byte entry of a report's <c>updates</c> (docs/protocol.md section 7): token, circulating (uint128), factor
/// (uint64, in [1, 1e18]), status.
/// </summary>
public readonly record struct ReportUpdate
{
    /// <summary>Creates an entry; throws <see cref="ArgumentOutOfRangeException"/> for a zero factor or an unknown status.</summary>
    public ReportUpdate(Address token, UInt128 circulating, Wad factor, UpdateStatus status)
    {
        if (!factor.IsCommittable)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), "a report factor lies in [1, 1e18] (docs/protocol.md section 2)");
        }

        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "status is 0 Commit, 1 FrozenDivergence or 2 FrozenSupply");
        }

        Token = token;
        Circulating = circulating;
        Factor = factor;
        Status = status;
    }

    /// <summary>The token.</summary>
    public Address Token { get; }

    /// <summary>Circulating supply in native units: <c>c*</c> for a Commit, the committed value for a freeze.</summary>
    public UInt128 Circulating { get; }

    /// <summary>The new factor for a Commit, the unchanged committed factor for a freeze.</summary>
    public Wad Factor { get; }

    /// <summary>The status byte.</summary>
    public UpdateStatus Status { get; }
}
