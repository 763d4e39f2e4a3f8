using System.Numerics;
using System.Text;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Abi;

/// <summary>
/// Solidity ABI encoding (Solidity ABI specification, "Formal Specification of the Encoding"): heads then tails, dynamic
/// parts referenced by offsets from the start of their enclosing tuple.
/// </summary>
public static class AbiEncoder
{
    /// <summary>Encodes <paramref name="values"/> as the tuple of <paramref name="types"/> (function arguments).</summary>
    /// <exception cref="AbiException">a value does not fit its type.</exception>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        var output = new List<byte>(32 * (types.Count + 2));
        EncodeTuple(types, values, output, "(" + string.Join(',', types.Select(t => t.CanonicalName)) + ")");
        return [.. output];
    }

    /// <summary>Encodes one value of one type as a one-element tuple.</summary>
    public static byte[] Encode(AbiType type, object value) => Encode([type], [value]);

    /// <summary>Encodes the selector followed by the arguments (a call's data).</summary>
    public static byte[] EncodeCall(ReadOnlySpan<byte> selector, IReadOnlyList<AbiType> types, IReadOnlyList<object> values)
    {
        if (selector.Length != 4)
        {
            throw new ArgumentException($"a selector has 4 bytes, got {selector.Length}", nameof(selector));
        }

        var args = Encode(types, values);
        var data = new byte[4 + args.Length];
        selector.CopyTo(data);
        args.CopyTo(data, 4);
        return data;
    }

    /// <summary>The 32-byte word of an atomic (static, one-word) value, as EIP-712 <c>encodeData</c> also uses.</summary>
    internal static void EncodeWord(AbiType type, object value, Span<byte> word)
    {
        word.Clear();
        switch (type)
        {
            case AbiUIntType u:
            {
                var v = AsInteger(value, type);
                if (v.Sign < 0 || v.GetBitLength() > u.Bits)
                {
                    throw new AbiException(type.CanonicalName, -1, $"value {v} out of range");
                }

                WriteBigEndian(v, word);
                break;
            }

            case AbiIntType i:
            {
                var v = AsInteger(value, type);
                var limit = BigInteger.One << (i.Bits - 1);
                if (v < -limit || v >= limit)
                {
                    throw new AbiException(type.CanonicalName, -1, $"value {v} out of range");
                }

                WriteBigEndian(v.Sign < 0 ? (BigInteger.One << 256) + v : v, word);
                break;
            }

            case AbiAddressType:
                (value is Address a ? a : throw Mismatch(type, value)).CopyTo(word[12..]);
                break;
            case AbiBoolType:
                word[31] = value is bool b ? (byte)(b ? 1 : 0) : throw Mismatch(type, value);
                break;
            case AbiFixedBytesType f:
            {
                var bytes = AsBytes(value, type);
                if (bytes.Length != f.Size)
                {
                    throw new AbiException(type.CanonicalName, -1, $"needs exactly {f.Size} bytes, got {bytes.Length}");
                }

                bytes.CopyTo(word);
                break;
            }

            default:
                throw new AbiException(type.CanonicalName, -1, "not an atomic type");
        }
    }

    internal static void WriteBigEndian(BigInteger value, Span<byte> word)
    {
        word.Clear();
        var count = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(word[(32 - count)..], out _, isUnsigned: true, isBigEndian: true);
    }

    private static BigInteger AsInteger(object value, AbiType type) => value switch
    {
        BigInteger b => b,
        ulong u => u,
        long l => l,
        uint u => u,
        int i => i,
        ushort u => u,
        short s => s,
        byte b => b,
        sbyte s => s,
        UInt128 u => (BigInteger)u,
        Int128 i => (BigInteger)i,
        _ => throw Mismatch(type, value),
    };

    private static byte[] AsBytes(object value, AbiType type) => value switch
    {
        byte[] b => b,
        ReadOnlyMemory<byte> m => m.ToArray(),
        Hash32 h => h.ToArray(),
        _ => throw Mismatch(type, value),
    };

    private static AbiException Mismatch(AbiType type, object? value) =>
        new(type.CanonicalName, -1, $"cannot encode a value of .NET type {value?.GetType().Name ?? "null"}");

    private static void EncodeTuple(IReadOnlyList<AbiType> types, IReadOnlyList<object> values, List<byte> output, string name)
    {
        if (types.Count != values.Count)
        {
            throw new AbiException(name, -1, $"{types.Count} components but {values.Count} values");
        }

        var headSize = types.Sum(t => t.HeadSize);
        var tails = new List<byte>();
        var deferred = new List<(int Position, int TailOffset)>();
        for (var i = 0; i < types.Count; i++)
        {
            if (types[i].IsDynamic)
            {
                deferred.Add((output.Count, tails.Count));
                output.AddRange(new byte[32]);
                EncodeValue(types[i], values[i], tails);
            }
            else
            {
                EncodeValue(types[i], values[i], output);
            }
        }

        Span<byte> word = stackalloc byte[32];
        foreach (var (position, tailOffset) in deferred)
        {
            WriteBigEndian(headSize + tailOffset, word);
            for (var k = 0; k < 32; k++)
            {
                output[position + k] = word[k];
            }
        }

        output.AddRange(tails);
    }

    private static void EncodeValue(AbiType type, object value, List<byte> output)
    {
        switch (type)
        {
            case AbiBytesType:
                AppendPadded(AsBytes(value, type), output);
                break;
            case AbiStringType:
                AppendPadded(Encoding.UTF8.GetBytes(value as string ?? throw Mismatch(type, value)), output);
                break;
            case AbiArrayType array:
            {
                var items = value as IReadOnlyList<object> ?? throw Mismatch(type, value);
                if (array.Length is { } k && items.Count != k)
                {
                    throw new AbiException(type.CanonicalName, -1, $"needs {k} elements, got {items.Count}");
                }

                if (array.Length is null)
                {
                    Span<byte> count = stackalloc byte[32];
                    WriteBigEndian(items.Count, count);
                    output.AddRange(count);
                }

                EncodeTuple(Enumerable.Repeat(array.Element, items.Count).ToArray(), items, output, type.CanonicalName);
                break;
            }

            case AbiTupleType tuple:
            {
                var items = value as IReadOnlyList<object> ?? throw Mismatch(type, value);
                EncodeTuple(tuple.Components.Select(c => c.Type).ToArray(), items, output, type.CanonicalName);
                break;
            }

            default:
            {
                Span<byte> word = stackalloc byte[32];
                EncodeWord(type, value, word);
                output.AddRange(word);
                break;
            }
        }
    }

    private static void AppendPadded(byte[] bytes, List<byte> output)
    {
        Span<byte> length = stackalloc byte[32];
        WriteBigEndian(bytes.Length, length);
        output.AddRange(length);
        output.AddRange(bytes);
        var pad = (32 - (bytes.Length % 32)) % 32;
        output.AddRange(new byte[pad]);
    }
}
