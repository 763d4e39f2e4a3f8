using System.Numerics;
using System.Text;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Abi;

/// <summary>
/// Strict Solidity ABI decoding: offsets and lengths must lie inside the data, padding must be zero, integers,
/// addresses and bools must be in range, strings valid UTF-8. Anything else is an <see cref="AbiException"/>, never a
/// guessed value (the checks Solidity's own abi.decode makes).
/// </summary>
public static class AbiDecoder
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="data"/> as the tuple of <paramref name="types"/>.</summary>
    /// <exception cref="AbiException">malformed data.</exception>
    public static IReadOnlyList<object> Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        // A budget of decoded values: in a well-formed encoding every leaf and every dynamic array owns a word, but
        // overlapping offsets could make small data decode into exponentially many values.
        var budget = data.Length / 32;
        return DecodeTuple(types, data, 0, "(" + string.Join(',', types.Select(t => t.CanonicalName)) + ")", ref budget);
    }

    /// <summary>Decodes one value of <paramref name="type"/> encoded as a one-element tuple.</summary>
    public static object Decode(AbiType type, ReadOnlySpan<byte> data) => Decode([type], data)[0];

    /// <summary>Decodes one atomic 32-byte word (as in an indexed event topic).</summary>
    internal static object DecodeWord(AbiType type, ReadOnlySpan<byte> data, int at)
    {
        if (at < 0 || at + 32 > data.Length)
        {
            throw new AbiException(type.CanonicalName, at, "word runs past the end of the data");
        }

        var word = data.Slice(at, 32);
        switch (type)
        {
            case AbiUIntType u:
                RequireZero(word[..(32 - (u.Bits / 8))], type, at, "high bytes of a uint are not zero");
                return new BigInteger(word, isUnsigned: true, isBigEndian: true);
            case AbiIntType i:
            {
                var value = new BigInteger(word, isUnsigned: false, isBigEndian: true);
                var limit = BigInteger.One << (i.Bits - 1);
                return value >= -limit && value < limit ? value : throw new AbiException(type.CanonicalName, at, "int is not sign-extended");
            }

            case AbiAddressType:
                RequireZero(word[..12], type, at, "high 12 bytes of an address are not zero");
                return new Address(word[12..]);
            case AbiBoolType:
                RequireZero(word[..31], type, at, "bool is not 0 or 1");
                return word[31] switch
                {
                    0 => false,
                    1 => true,
                    _ => throw new AbiException(type.CanonicalName, at, "bool is not 0 or 1"),
                };
            case AbiFixedBytesType f:
                RequireZero(word[f.Size..], type, at, "padding of bytesN is not zero");
                return word[..f.Size].ToArray();
            default:
                throw new AbiException(type.CanonicalName, at, "not an atomic type");
        }
    }

    private static void RequireZero(ReadOnlySpan<byte> bytes, AbiType type, int at, string message)
    {
        if (bytes.ContainsAnyExcept((byte)0))
        {
            throw new AbiException(type.CanonicalName, at, message);
        }
    }

    private static int ReadLength(ReadOnlySpan<byte> data, int at, string type, string what)
    {
        if (at < 0 || at + 32 > data.Length)
        {
            throw new AbiException(type, at, $"{what} runs past the end of the data ({data.Length} bytes)");
        }

        var word = data.Slice(at, 32);
        if (word[..28].ContainsAnyExcept((byte)0) || (word[28] & 0x80) != 0)
        {
            throw new AbiException(type, at, $"{what} is too large");
        }

        var value = (word[28] << 24) | (word[29] << 16) | (word[30] << 8) | word[31];
        return value <= data.Length ? value : throw new AbiException(type, at, $"{what} {value} exceeds the data length {data.Length}");
    }

    private static List<object> DecodeTuple(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start, string name, ref int budget)
    {
        var values = new List<object>(types.Count);
        var head = start;
        foreach (var type in types)
        {
            if (type.IsDynamic)
            {
                var offset = ReadLength(data, head, name, "offset");
                if (start + offset > data.Length)
                {
                    throw new AbiException(type.CanonicalName, head, $"offset {offset} points past the end of the data");
                }

                values.Add(DecodeValue(type, data, start + offset, ref budget));
                head += 32;
            }
            else
            {
                values.Add(DecodeValue(type, data, head, ref budget));
                head += type.HeadSize;
            }
        }

        return values;
    }

    private static object DecodeValue(AbiType type, ReadOnlySpan<byte> data, int at, ref int budget)
    {
        // Charge what owns a word of its own in a well-formed encoding: leaves, and dynamic arrays (their length word).
        if (type is not AbiTupleType and not AbiArrayType { Length: not null } && --budget < 0)
        {
            throw new AbiException(type.CanonicalName, at, "the data decodes to more values than it has words (overlapping offsets)");
        }

        switch (type)
        {
            case AbiBytesType:
                return ReadPadded(type, data, at).ToArray();
            case AbiStringType:
                try
                {
                    return s_strictUtf8.GetString(ReadPadded(type, data, at));
                }
                catch (DecoderFallbackException)
                {
                    throw new AbiException(type.CanonicalName, at, "string is not valid UTF-8");
                }

            case AbiArrayType array:
            {
                var count = array.Length ?? ReadLength(data, at, type.CanonicalName, "array length");
                var body = array.Length is null ? at + 32 : at;
                // Every element needs at least one word of head: a count beyond the data is malformed, not a huge allocation.
                if ((long)count * array.Element.HeadSize > data.Length - body)
                {
                    throw new AbiException(type.CanonicalName, at, $"{count} elements do not fit in the data");
                }

                return DecodeTuple(Enumerable.Repeat(array.Element, count).ToArray(), data, body, type.CanonicalName, ref budget);
            }

            case AbiTupleType tuple:
                return DecodeTuple(tuple.Components.Select(c => c.Type).ToArray(), data, at, type.CanonicalName, ref budget);
            default:
                return DecodeWord(type, data, at);
        }
    }

    private static ReadOnlySpan<byte> ReadPadded(AbiType type, ReadOnlySpan<byte> data, int at)
    {
        var length = ReadLength(data, at, type.CanonicalName, "length");
        var body = at + 32;
        var padded = (length + 31) / 32 * 32;
        if ((long)body + padded > data.Length)
        {
            throw new AbiException(type.CanonicalName, at, $"{length} bytes (padded {padded}) run past the end of the data");
        }

        RequireZero(data.Slice(body + length, padded - length), type, body + length, "padding is not zero");
        return data.Slice(body, length);
    }
}
