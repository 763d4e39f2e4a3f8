using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Rules.Engine.Internal;

/// <summary>Step 3 of docs/protocol.md section 5: the mode of the circulating values, ties to the smaller value.</summary>
internal static class SupplyBase
{
    /// <summary>Returns <c>c*</c>, how many reported it, and the reporters who did not (ascending).</summary>
    public static (TokenAmount Value, int Count, Address[] Disagreeing) Find(IReadOnlyList<Observation> observations)
    {
        var counts = new Dictionary<TokenAmount, int>();
        foreach (var o in observations)
        {
            counts[o.Circulating] = counts.GetValueOrDefault(o.Circulating) + 1;
        }

        var best = default(TokenAmount);
        var bestCount = 0;
        foreach (var (value, count) in counts)
        {
            if (count > bestCount || (count == bestCount && value < best))
            {
                best = value;
                bestCount = count;
            }
        }

        var disagreeing = observations.Where(o => o.Circulating != best).Select(o => o.Reporter).Order().ToArray();
        return (best, bestCount, disagreeing);
    }
}
