namespace SupplyOracle.Contracts.Bindings.Rlp;

/// <summary>
/// Recursive Length Prefix encoding (Yellow Paper appendix B). Decoding is strict: it accepts only the canonical
/// encoding, so one value has exactly one encoding (what a transaction hash relies on).
/// </summary>
public static class RlpCodec
{
    /// <summary>Encodes an item.</summary>
    public static byte[] Encode(RlpItem item)
    {
        var output = new List<byte>();
        Write(item, output);
        return [.. output];
    }

    /// <summary>Decodes exactly one item spanning all of <paramref name="data"/>.</summary>
    /// <exception cref="RlpException">truncated, trailing or non-canonical input.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> data)
    {
        var position = 0;
        var item = Read(data, ref position);
        return position == data.Length
            ? item
            : throw new RlpException(RlpError.TrailingBytes, position, $"{data.Length - position} bytes after the item");
    }

    private static void Write(RlpItem item, List<byte> output)
    {
        switch (item)
        {
            case RlpString s when s.Value.Length == 1 && s.Value[0] < 0x80:
                output.Add(s.Value[0]);
                break;
            case RlpString s:
                WriteHeader(0x80, s.Value.Length, output);
                output.AddRange(s.Value);
                break;
            case RlpList list:
            {
                var payload = new List<byte>();
                foreach (var child in list.Items)
                {
                    Write(child, payload);
                }

                WriteHeader(0xc0, payload.Count, output);
                output.AddRange(payload);
                break;
            }

            default:
                throw new ArgumentException($"unknown RLP item {item?.GetType().Name}", nameof(item));
        }
    }

    private static void WriteHeader(byte offset, int length, List<byte> output)
    {
        if (length < 56)
        {
            output.Add((byte)(offset + length));
            return;
        }

        var lengthBytes = new List<byte>();
        for (var l = length; l > 0; l >>= 8)
        {
            lengthBytes.Insert(0, (byte)l);
        }

        output.Add((byte)(offset + 55 + lengthBytes.Count));
        output.AddRange(lengthBytes);
    }

    private static RlpItem Read(ReadOnlySpan<byte> data, ref int position)
    {
        if (position >= data.Length)
        {
            throw new RlpException(RlpError.Truncated, position, "input ends where an item should start");
        }

        var start = position;
        var prefix = data[position++];
        if (prefix < 0x80)
        {
            return new RlpString([prefix]);
        }

        if (prefix < 0xc0)
        {
            var length = ReadLength(data, ref position, prefix, 0x80, start);
            var value = Take(data, ref position, length, start);
            if (length == 1 && value[0] < 0x80)
            {
                throw new RlpException(RlpError.NonCanonical, start, "a single byte below 0x80 must be encoded as itself");
            }

            return new RlpString(value.ToArray());
        }

        var payloadLength = ReadLength(data, ref position, prefix, 0xc0, start);
        var end = position + payloadLength;
        if (end > data.Length)
        {
            throw new RlpException(RlpError.Truncated, start, $"list of {payloadLength} bytes runs past the end of the input");
        }

        var items = new List<RlpItem>();
        while (position < end)
        {
            items.Add(Read(data[..end], ref position));
        }

        return new RlpList(items);
    }

    private static int ReadLength(ReadOnlySpan<byte> data, ref int position, byte prefix, byte offset, int start)
    {
        var shortForm = prefix - offset;
        if (shortForm <= 55)
        {
            return shortForm;
        }

        var lengthOfLength = shortForm - 55;
        var bytes = Take(data, ref position, lengthOfLength, start);
        if (bytes[0] == 0)
        {
            throw new RlpException(RlpError.NonCanonical, start, "length has a leading zero byte");
        }

        if (lengthOfLength > 4)
        {
            throw new RlpException(RlpError.Overflow, start, "length does not fit 32 bits");
        }

        long length = 0;
        foreach (var b in bytes)
        {
            length = (length << 8) | b;
        }

        if (length < 56)
        {
            throw new RlpException(RlpError.NonCanonical, start, $"long form used for a {length}-byte payload");
        }

        return length <= int.MaxValue ? (int)length : throw new RlpException(RlpError.Overflow, start, "length too large");
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int position, int count, int start)
    {
        if (count > data.Length - position)
        {
            throw new RlpException(RlpError.Truncated, start, $"needs {count} bytes, {data.Length - position} remain");
        }

        var slice = data.Slice(position, count);
        position += count;
        return slice;
    }
}
