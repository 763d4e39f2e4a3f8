using System.Globalization;
using System.Numerics;

namespace SupplyOracle.Contracts.Bindings.Primitives;

/// <summary>An amount of ether in wei: an unsigned 256-bit integer (balances, values, gas prices).</summary>
public readonly record struct Wei : IComparable<Wei>
{
    private static readonly BigInteger s_limit = BigInteger.One << 256;

    /// <summary>Creates an amount; it must be in [0, 2^256).</summary>
    /// <exception cref="ArgumentOutOfRangeException">negative or 2^256 and above.</exception>
    public Wei(BigInteger value)
    {
        if (value.Sign < 0 || value >= s_limit)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "wei is an unsigned 256-bit integer");
        }

        Value = value;
    }

    /// <summary>The amount in wei.</summary>
    public BigInteger Value { get; }

    /// <summary>Zero.</summary>
    public static Wei Zero => default;

    /// <summary>An amount in gwei (1e9 wei).</summary>
    public static Wei FromGwei(decimal gwei) => new(new BigInteger(gwei * 1_000_000_000m));

    /// <summary>An amount in ether (1e18 wei).</summary>
    public static Wei FromEther(decimal ether) => new(new BigInteger(ether * 1_000_000_000m) * 1_000_000_000);

    /// <summary>Sum.</summary>
    public static Wei operator +(Wei left, Wei right) => new(left.Value + right.Value);

    /// <summary>Difference; throws below zero.</summary>
    public static Wei operator -(Wei left, Wei right) => new(left.Value - right.Value);

    /// <summary>Product with a count (gas).</summary>
    public static Wei operator *(Wei left, ulong right) => new(left.Value * right);

    /// <summary>Ordering.</summary>
    public static bool operator <(Wei left, Wei right) => left.Value < right.Value;

    /// <summary>Ordering.</summary>
    public static bool operator >(Wei left, Wei right) => left.Value > right.Value;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Wei left, Wei right) => left.Value <= right.Value;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Wei left, Wei right) => left.Value >= right.Value;

    /// <summary>The larger.</summary>
    public static Wei Max(Wei a, Wei b) => a >= b ? a : b;

    /// <summary>The smaller.</summary>
    public static Wei Min(Wei a, Wei b) => a <= b ? a : b;

    /// <inheritdoc />
    public int CompareTo(Wei other) => Value.CompareTo(other.Value);

    /// <summary>Decimal wei.</summary>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture) + " wei";
}
