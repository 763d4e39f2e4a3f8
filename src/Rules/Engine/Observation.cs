using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Rules.Engine;

/// <summary>
/// One reporter's figures for one token in the round being evaluated (docs/protocol.md section 4), taken from a valid,
/// non-equivocating batch. Invariants (section 4, step 4): circulating &gt; 0 and factor in [1, 1e18].
/// </summary>
public readonly record struct Observation
{
    /// <summary>Creates an observation; throws <see cref="ArgumentOutOfRangeException"/> for a zero circulating or factor.</summary>
    public Observation(Address reporter, Address token, TokenAmount circulating, Wad factor)
    {
        if (circulating.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(circulating), "a reporter skips a token whose circulating supply is 0 (docs/protocol.md section 4)");
        }

        if (!factor.IsCommittable)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), "a reporter skips a token whose factor is 0 (docs/protocol.md section 4)");
        }

        Reporter = reporter;
        Token = token;
        Circulating = circulating;
        Factor = factor;
    }

    /// <summary>The registered reporter that signed it.</summary>
    public Address Reporter { get; }

    /// <summary>The token.</summary>
    public Address Token { get; }

    /// <summary>Circulating supply at <c>B_r</c> in native units.</summary>
    public TokenAmount Circulating { get; }

    /// <summary>The reporter's free-float factor.</summary>
    public Wad Factor { get; }
}
