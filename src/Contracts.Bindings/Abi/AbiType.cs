using System.Globalization;

namespace SupplyOracle.Contracts.Bindings.Abi;

/// <summary>
/// A Solidity ABI type (Solidity ABI specification, "Types"). Values are carried as: <see cref="System.Numerics.BigInteger"/>
/// for <c>uintN</c>/<c>intN</c>, <see cref="Primitives.Address"/>, <see cref="bool"/>, <c>byte[]</c> for <c>bytesN</c> and
/// <c>bytes</c>, <see cref="string"/>, and <c>IReadOnlyList&lt;object&gt;</c> for arrays and tuples.
/// </summary>
public abstract record AbiType
{
    private protected AbiType()
    {
    }

    /// <summary>The canonical type name used in signatures (tuples as <c>(T1,T2)</c>).</summary>
    public abstract string CanonicalName { get; }

    /// <summary>True for <c>bytes</c>, <c>string</c>, <c>T[]</c>, and arrays or tuples holding a dynamic type.</summary>
    public abstract bool IsDynamic { get; }

    /// <summary>The size of the head of a static type in bytes (32 for a dynamic type's offset).</summary>
    internal virtual int HeadSize => 32;

    /// <summary>The canonical name.</summary>
    public override string ToString() => CanonicalName;

    /// <summary>Parses a type such as <c>uint256</c>, <c>bytes32[]</c>, <c>(address,uint64)[2]</c>.</summary>
    /// <exception cref="FormatException">not a valid ABI type.</exception>
    public static AbiType Parse(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var s = type.Trim();
        if (s.EndsWith(']'))
        {
            var open = s.LastIndexOf('[');
            if (open < 0)
            {
                throw new FormatException($"unbalanced ']' in ABI type '{type}'");
            }

            var element = Parse(s[..open]);
            var lengthText = s[(open + 1)..^1];
            if (lengthText.Length == 0)
            {
                return new AbiArrayType(element, null);
            }

            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0)
            {
                throw new FormatException($"bad array length '{lengthText}' in ABI type '{type}'");
            }

            return new AbiArrayType(element, length);
        }

        if (s.StartsWith('(') && s.EndsWith(')'))
        {
            var parts = SplitTopLevel(s[1..^1], type);
            return new AbiTupleType(parts.Select(p => new AbiParameter("", Parse(p))).ToArray());
        }

        return ParseElementary(s, type);
    }

    private static AbiType ParseElementary(string s, string original)
    {
        switch (s)
        {
            case "address": return AbiAddressType.Instance;
            case "bool": return AbiBoolType.Instance;
            case "string": return AbiStringType.Instance;
            case "bytes": return AbiBytesType.Instance;
            case "uint": return new AbiUIntType(256);
            case "int": return new AbiIntType(256);
            case "function": return new AbiFixedBytesType(24);
        }

        if (s.StartsWith("uint", StringComparison.Ordinal) && TryBits(s[4..], out var ub))
        {
            return new AbiUIntType(ub);
        }

        if (s.StartsWith("int", StringComparison.Ordinal) && TryBits(s[3..], out var ib))
        {
            return new AbiIntType(ib);
        }

        if (s.StartsWith("bytes", StringComparison.Ordinal)
            && int.TryParse(s[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 32 && s[5] != '0')
        {
            return new AbiFixedBytesType(n);
        }

        throw new FormatException($"unknown ABI type '{original}'");
    }

    private static bool TryBits(string digits, out int bits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out bits) && bits is >= 8 and <= 256 && bits % 8 == 0
        && digits[0] != '0';

    /// <summary>Splits a comma list at depth zero of parentheses.</summary>
    internal static List<string> SplitTopLevel(string s, string original)
    {
        var parts = new List<string>();
        if (s.Length == 0)
        {
            return parts;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth < 0)
                    {
                        throw new FormatException($"unbalanced ')' in ABI type '{original}'");
                    }

                    break;
                case ',' when depth == 0:
                    parts.Add(s[start..i]);
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new FormatException($"unbalanced '(' in ABI type '{original}'");
        }

        parts.Add(s[start..]);
        return parts;
    }
}

/// <summary>A named (possibly indexed) parameter or tuple component.</summary>
/// <param name="Name">The name ("" when unnamed).</param>
/// <param name="Type">The type.</param>
/// <param name="Indexed">For event inputs: whether it is a topic.</param>
/// <param name="InternalType">Solidity's <c>internalType</c> (e.g. <c>struct Test.Pair</c>), when the ABI JSON gives it.</param>
public sealed record AbiParameter(string Name, AbiType Type, bool Indexed = false, string? InternalType = null);

/// <summary><c>uintN</c>.</summary>
/// <param name="Bits">8 to 256, a multiple of 8.</param>
public sealed record AbiUIntType(int Bits) : AbiType
{
    /// <inheritdoc />
    public override string CanonicalName => $"uint{Bits.ToString(CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    public override bool IsDynamic => false;
}

/// <summary><c>intN</c> (two's complement).</summary>
/// <param name="Bits">8 to 256, a multiple of 8.</param>
public sealed record AbiIntType(int Bits) : AbiType
{
    /// <inheritdoc />
    public override string CanonicalName => $"int{Bits.ToString(CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    public override bool IsDynamic => false;
}

/// <summary><c>address</c>.</summary>
public sealed record AbiAddressType : AbiType
{
    /// <summary>The one instance.</summary>
    public static readonly AbiAddressType Instance = new();

    /// <inheritdoc />
    public override string CanonicalName => "address";

    /// <inheritdoc />
    public override bool IsDynamic => false;
}

/// <summary><c>bool</c>.</summary>
public sealed record AbiBoolType : AbiType
{
    /// <summary>The one instance.</summary>
    public static readonly AbiBoolType Instance = new();

    /// <inheritdoc />
    public override string CanonicalName => "bool";

    /// <inheritdoc />
    public override bool IsDynamic => false;
}

/// <summary><c>bytesN</c>, N in 1..32.</summary>
/// <param name="Size">N.</param>
public sealed record AbiFixedBytesType(int Size) : AbiType
{
    /// <inheritdoc />
    public override string CanonicalName => $"bytes{Size.ToString(CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    public override bool IsDynamic => false;
}

/// <summary><c>bytes</c>.</summary>
public sealed record AbiBytesType : AbiType
{
    /// <summary>The one instance.</summary>
    public static readonly AbiBytesType Instance = new();

    /// <inheritdoc />
    public override string CanonicalName => "bytes";

    /// <inheritdoc />
    public override bool IsDynamic => true;
}

/// <summary><c>string</c> (UTF-8).</summary>
public sealed record AbiStringType : AbiType
{
    /// <summary>The one instance.</summary>
    public static readonly AbiStringType Instance = new();

    /// <inheritdoc />
    public override string CanonicalName => "string";

    /// <inheritdoc />
    public override bool IsDynamic => true;
}

/// <summary><c>T[]</c> (Length null) or <c>T[k]</c>.</summary>
/// <param name="Element">T.</param>
/// <param name="Length">k, or null for a dynamic array.</param>
public sealed record AbiArrayType(AbiType Element, int? Length) : AbiType
{
    /// <inheritdoc />
    public override string CanonicalName =>
        $"{Element.CanonicalName}[{(Length is { } k ? k.ToString(CultureInfo.InvariantCulture) : "")}]";

    /// <inheritdoc />
    public override bool IsDynamic => Length is null || Element.IsDynamic;

    internal override int HeadSize => IsDynamic ? 32 : Length!.Value * Element.HeadSize;
}

/// <summary>A tuple <c>(T1,...,Tn)</c> (a Solidity struct).</summary>
/// <param name="Components">The components in order.</param>
public sealed record AbiTupleType(IReadOnlyList<AbiParameter> Components) : AbiType
{
    /// <inheritdoc />
    public override string CanonicalName => $"({string.Join(',', Components.Select(c => c.Type.CanonicalName))})";

    /// <inheritdoc />
    public override bool IsDynamic => Components.Any(c => c.Type.IsDynamic);

    internal override int HeadSize => IsDynamic ? 32 : Components.Sum(c => c.Type.HeadSize);

    /// <inheritdoc />
    public bool Equals(AbiTupleType? other) =>
        other is not null && Components.Select(c => c.Type).SequenceEqual(other.Components.Select(c => c.Type));

    /// <inheritdoc />
    public override int GetHashCode() => CanonicalName.GetHashCode(StringComparison.Ordinal);
}
