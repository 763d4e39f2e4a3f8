using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Rules.Encoding;

/// <summary>
/// One 60-byte entry of an ObservationBatch's <c>observations</c> (docs/protocol.md section 7). Invariants of section 4,
/// step 4: circulating &gt; 0 and factor in [1, 1e18].
/// </summary>
public readonly record struct TokenObservation
{
    /// <summary>Creates an entry; throws <see cref="ArgumentOutOfRangeException"/> for a zero circulating or factor.</summary>
    public TokenObservation(Address token, TokenAmount circulating, Wad factor)
    {
        if (circulating.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(circulating), "circulating must be > 0 (docs/protocol.md section 4)");
        }

        if (!factor.IsCommittable)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), "factor must be in [1, 1e18] (docs/protocol.md section 4)");
        }

        Token = token;
        Circulating = circulating;
        Factor = factor;
    }

    /// <summary>The token.</summary>
    public Address Token { get; }

    /// <summary>Circulating supply at <c>B_r</c> (uint256).</summary>
    public TokenAmount Circulating { get; }

    /// <summary>The free-float factor.</summary>
    public Wad Factor { get; }
}
