using System.Buffers.Binary;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Rules.Encoding;

/// <summary>
/// The <c>observations</c> bytes of an ObservationBatch (docs/protocol.md section 7): entries of 60 bytes, tokens strictly
/// ascending: token (20) | circulating (32, uint256 big-endian) | factor (8, uint64 big-endian).
/// </summary>
public static class ObservationEncoding
{
    /// <summary>Bytes per entry.</summary>
    public const int EntrySize = 60;

    /// <summary>Encodes entries; throws <see cref="ArgumentException"/> unless tokens are strictly ascending.</summary>
    public static byte[] Encode(IReadOnlyList<TokenObservation> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var bytes = new byte[entries.Count * EntrySize];
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0 && entries[i].Token <= entries[i - 1].Token)
            {
                throw new ArgumentException($"entry {i}: tokens must be strictly ascending ({entries[i].Token} after {entries[i - 1].Token})", nameof(entries));
            }

            var entry = bytes.AsSpan(i * EntrySize, EntrySize);
            entries[i].Token.CopyTo(entry);
            entries[i].Circulating.WriteUInt256BigEndian(entry.Slice(20, 32));
            BinaryPrimitives.WriteUInt64BigEndian(entry[52..], entries[i].Factor.Raw);
        }

        return bytes;
    }

    /// <summary>
    /// Decodes strictly: the length is a multiple of 60, tokens strictly ascending, circulating &gt; 0, factor in
    /// [1, 1e18]. Throws <see cref="MessageEncodingException"/> naming the field and byte offset.
    /// </summary>
    public static IReadOnlyList<TokenObservation> Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % EntrySize != 0)
        {
            throw new MessageEncodingException("length", bytes.Length, $"observations are 60-byte entries; {bytes.Length} bytes is not a multiple of 60");
        }

        var entries = new TokenObservation[bytes.Length / EntrySize];
        for (var i = 0; i < entries.Length; i++)
        {
            var offset = i * EntrySize;
            var entry = bytes.Slice(offset, EntrySize);
            var token = new Address(entry[..20]);
            if (i > 0 && token <= entries[i - 1].Token)
            {
                throw new MessageEncodingException("token", offset, $"tokens must be strictly ascending ({token} after {entries[i - 1].Token})");
            }

            var circulating = TokenAmount.ReadUInt256BigEndian(entry.Slice(20, 32));
            if (circulating.IsZero)
            {
                throw new MessageEncodingException("circulating", offset + 20, "circulating must be > 0");
            }

            var factor = BinaryPrimitives.ReadUInt64BigEndian(entry[52..]);
            if (factor is 0 or > Wad.OneRaw)
            {
                throw new MessageEncodingException("factor", offset + 52, $"factor must be in [1, 1e18], got {factor}");
            }

            entries[i] = new TokenObservation(token, circulating, new Wad(factor));
        }

        return entries;
    }
}
