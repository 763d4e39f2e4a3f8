using System.Globalization;

namespace SupplyOracle.Rules.Domain;

/// <summary>
/// A free-float factor in WAD fixed point (docs/protocol.md section 2): <c>1e18</c> = 1.0, carried as <c>uint64</c>.
/// Invariant: <c>0 &lt;= value &lt;= 1e18</c>. Zero only stands for "no factor" (a token never committed); every
/// observed or committed factor lies in <c>[1, 1e18]</c> (see <see cref="IsCommittable"/>).
/// </summary>
public readonly record struct Wad : IComparable<Wad>
{
    /// <summary>The raw value of 1.0.</summary>
    public const ulong OneRaw = 1_000_000_000_000_000_000UL;

    /// <summary>Creates a factor; throws <see cref="ArgumentOutOfRangeException"/> above 1e18.</summary>
    public Wad(ulong raw)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(raw, OneRaw);
        Raw = raw;
    }

    /// <summary>The raw uint64 value (1e18 = 1.0).</summary>
    public ulong Raw { get; }

    /// <summary>No factor.</summary>
    public static Wad Zero => default;

    /// <summary>The smallest committable factor, one unit.</summary>
    public static Wad MinCommittable => new(1);

    /// <summary>1.0, the largest factor.</summary>
    public static Wad One => new(OneRaw);

    /// <summary>True when the factor lies in the committed range [1, 1e18] (docs/protocol.md section 2).</summary>
    public bool IsCommittable => Raw >= 1;

    /// <summary>Creates a factor when <paramref name="raw"/> is at most 1e18.</summary>
    public static bool TryCreate(ulong raw, out Wad wad)
    {
        wad = raw <= OneRaw ? new Wad(raw) : default;
        return raw <= OneRaw;
    }

    /// <summary>Parses a decimal string of digits only (no sign, no exponent, no separators).</summary>
    public static Wad Parse(string text)
    {
        var value = DecimalText.ParseUInt64(text);
        return value <= OneRaw ? new Wad(value) : throw new FormatException($"a factor is at most 1e18, got {text}");
    }

    /// <inheritdoc />
    public int CompareTo(Wad other) => Raw.CompareTo(other.Raw);

    /// <summary>Order.</summary>
    public static bool operator <(Wad left, Wad right) => left.Raw < right.Raw;

    /// <summary>Order.</summary>
    public static bool operator >(Wad left, Wad right) => left.Raw > right.Raw;

    /// <summary>Order.</summary>
    public static bool operator <=(Wad left, Wad right) => left.Raw <= right.Raw;

    /// <summary>Order.</summary>
    public static bool operator >=(Wad left, Wad right) => left.Raw >= right.Raw;

    /// <summary>The raw value in decimal.</summary>
    public override string ToString() => Raw.ToString(CultureInfo.InvariantCulture);
}
