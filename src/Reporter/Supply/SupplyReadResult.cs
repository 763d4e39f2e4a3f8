using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Reporter.Supply;

/// <summary>On-chain supply figures of one token at <c>B_r</c> (docs/protocol.md section 4 steps 1 and 2).</summary>
/// <param name="Token">The token.</param>
/// <param name="TotalSupply">ERC-20 <c>totalSupply()</c>.</param>
/// <param name="Excluded">The registry's excluded addresses <c>E_t</c>, strictly ascending.</param>
/// <param name="ExcludedBalance">The sum of the balances of <see cref="Excluded"/>.</param>
/// <param name="ExtraLocked">Balances of the operator's extra locked addresses that are not already excluded, ascending by address.</param>
public sealed record TokenSupply(
    Address Token,
    BigInteger TotalSupply,
    IReadOnlyList<Address> Excluded,
    BigInteger ExcludedBalance,
    IReadOnlyList<KeyValuePair<Address, BigInteger>> ExtraLocked)
{
    /// <summary><c>circulating_t = totalSupply_t - sum(balanceOf_t(a) for a in E_t)</c>.</summary>
    public BigInteger Circulating => TotalSupply - ExcludedBalance;

    /// <summary>The sum of <see cref="ExtraLocked"/>.</summary>
    public BigInteger ExtraLockedBalance => ExtraLocked.Aggregate(BigInteger.Zero, (sum, e) => sum + e.Value);

    /// <summary>True when two reads produced exactly the same figures (used to check that endpoints agree).</summary>
    public bool SameFiguresAs(TokenSupply other) =>
        Token == other.Token && TotalSupply == other.TotalSupply && ExcludedBalance == other.ExcludedBalance
        && Excluded.SequenceEqual(other.Excluded) && ExtraLocked.SequenceEqual(other.ExtraLocked);
}

/// <summary>A token left out of a round, with the reason and a human-readable detail for the log.</summary>
/// <param name="Token">The token.</param>
/// <param name="Reason">The reason.</param>
/// <param name="Detail">Specific detail (endpoint, figures, error code).</param>
public sealed record SkippedToken(Address Token, SupplySkipReason Reason, string Detail);

/// <summary>The result of reading every covered token at one pinned block.</summary>
/// <param name="Block">The block every read was pinned to.</param>
/// <param name="Tokens">Tokens with agreed figures, ascending by address.</param>
/// <param name="Skipped">Tokens left out, with their reason.</param>
/// <param name="RoundTrips">The largest number of JSON-RPC round trips any one endpoint needed (2 when nothing failed).</param>
public sealed record SupplyReadResult(PinnedBlock Block, IReadOnlyList<TokenSupply> Tokens, IReadOnlyList<SkippedToken> Skipped, int RoundTrips);
