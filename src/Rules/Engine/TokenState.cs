using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Rules.Engine;

/// <summary>
/// A listed token's oracle state as the SupplyOracle contract stores it, read at the proposal's <c>stateBlock</c>
/// (docs/protocol.md section 5), or as the engine predicts it after the commit. All times are reference times.
/// </summary>
/// <param name="Token">The listed token.</param>
/// <param name="Factor">The committed factor (<c>prev</c>); zero when never committed.</param>
/// <param name="CommittedAt">Reference time of the last commit.</param>
/// <param name="Anchor">The window anchor factor.</param>
/// <param name="AnchorAt">When the window anchor was set.</param>
/// <param name="Initialized">True once the token has been committed.</param>
/// <param name="Frozen">True while the last report froze the token.</param>
/// <param name="Circulating">The committed circulating supply (fits uint128: it came from a report).</param>
public sealed record TokenState(
    Address Token,
    Wad Factor,
    ulong CommittedAt,
    Wad Anchor,
    ulong AnchorAt,
    bool Initialized,
    bool Frozen,
    TokenAmount Circulating)
{
    /// <summary>The state of a listed token that has never been committed.</summary>
    public static TokenState NeverCommitted(Address token) => new(token, Wad.Zero, 0, Wad.Zero, 0, false, false, TokenAmount.Zero);
}
