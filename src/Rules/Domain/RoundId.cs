using System.Globalization;

namespace SupplyOracle.Rules.Domain;

/// <summary>A round number <c>r</c> (docs/protocol.md section 3): a <c>uint64</c>; round <c>r</c> observes block <c>r * roundBlocks</c>.</summary>
/// <param name="Value">The round number.</param>
public readonly record struct RoundId(ulong Value) : IComparable<RoundId>
{
    /// <summary>The reference block <c>B_r = r * roundBlocks</c>; throws <see cref="OverflowException"/> past uint64.</summary>
    public ulong ReferenceBlock(ulong roundBlocks) => checked(Value * roundBlocks);

    /// <inheritdoc />
    public int CompareTo(RoundId other) => Value.CompareTo(other.Value);

    /// <summary>The number in decimal.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
