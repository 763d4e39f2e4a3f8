using System.Buffers.Binary;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Rules.Encoding;

/// <summary>
/// The <c>updates</c> bytes of a Report (docs/protocol.md section 7): entries of 45 bytes, tokens strictly ascending:
/// token (20) | circulating (16, uint128 big-endian) | factor (8, uint64 big-endian) | status (1).
/// </summary>
public static class UpdateEncoding
{
    /// <summary>Bytes per entry.</summary>
    public const int EntrySize = 45;

    /// <summary>Encodes entries; throws <see cref="ArgumentException"/> unless tokens are strictly ascending.</summary>
    public static byte[] Encode(IReadOnlyList<ReportUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var bytes = new byte[updates.Count * EntrySize];
        for (var i = 0; i < updates.Count; i++)
        {
            if (i > 0 && updates[i].Token <= updates[i - 1].Token)
            {
                throw new ArgumentException($"entry {i}: tokens must be strictly ascending ({updates[i].Token} after {updates[i - 1].Token})", nameof(updates));
            }

            var entry = bytes.AsSpan(i * EntrySize, EntrySize);
            updates[i].Token.CopyTo(entry);
            BinaryPrimitives.WriteUInt128BigEndian(entry.Slice(20, 16), updates[i].Circulating);
            BinaryPrimitives.WriteUInt64BigEndian(entry.Slice(36, 8), updates[i].Factor.Raw);
            entry[44] = (byte)updates[i].Status;
        }

        return bytes;
    }

    /// <summary>
    /// Decodes strictly: the length is a multiple of 45, tokens strictly ascending, factor in [1, 1e18], status 0, 1
    /// or 2. Throws <see cref="MessageEncodingException"/> naming the field and byte offset.
    /// </summary>
    public static IReadOnlyList<ReportUpdate> Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % EntrySize != 0)
        {
            throw new MessageEncodingException("length", bytes.Length, $"updates are 45-byte entries; {bytes.Length} bytes is not a multiple of 45");
        }

        var updates = new ReportUpdate[bytes.Length / EntrySize];
        for (var i = 0; i < updates.Length; i++)
        {
            var offset = i * EntrySize;
            var entry = bytes.Slice(offset, EntrySize);
            var token = new Address(entry[..20]);
            if (i > 0 && token <= updates[i - 1].Token)
            {
                throw new MessageEncodingException("token", offset, $"tokens must be strictly ascending ({token} after {updates[i - 1].Token})");
            }

            var circulating = BinaryPrimitives.ReadUInt128BigEndian(entry.Slice(20, 16));
            var factor = BinaryPrimitives.ReadUInt64BigEndian(entry.Slice(36, 8));
            if (factor is 0 or > Wad.OneRaw)
            {
                throw new MessageEncodingException("factor", offset + 36, $"factor must be in [1, 1e18], got {factor}");
            }

            var status = entry[44];
            if (status > (byte)UpdateStatus.FrozenSupply)
            {
                throw new MessageEncodingException("status", offset + 44, $"status must be 0 Commit, 1 FrozenDivergence or 2 FrozenSupply, got {status}");
            }

            updates[i] = new ReportUpdate(token, circulating, new Wad(factor), (UpdateStatus)status);
        }

        return updates;
    }
}
