using System.Buffers.Binary;
using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Reporter.Journal.Internal;

/// <summary>
/// The record format: <c>length (u32 LE) | payload | keccak256(length | payload) (32 bytes)</c>, payload =
/// <c>round (u64 LE) | digest (32) | ObservationBatch protobuf</c>. A record whose checksum or length does not hold
/// is never read as valid.
/// </summary>
internal static class JournalRecord
{
    public const int LengthSize = 4;
    public const int ChecksumSize = 32;
    public const int HeaderPayloadSize = 8 + Hash32.Size;

    /// <summary>Largest accepted payload: a batch of 64 Ki tokens is far beyond any real round.</summary>
    public const int MaxPayload = 8 * 1024 * 1024;

    public static byte[] Encode(JournalEntry entry)
    {
        var message = entry.Message.ToByteArray();
        var payloadLength = HeaderPayloadSize + message.Length;
        var record = new byte[LengthSize + payloadLength + ChecksumSize];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payloadLength);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(LengthSize), entry.Round.Value);
        entry.Digest.CopyTo(record.AsSpan(LengthSize + 8));
        message.CopyTo(record.AsSpan(LengthSize + HeaderPayloadSize));
        Keccak256.Hash(record.AsSpan(0, LengthSize + payloadLength), record.AsSpan(LengthSize + payloadLength));
        return record;
    }

    /// <summary>Checks the checksum of a complete record and decodes it; null when the checksum does not hold.</summary>
    public static JournalEntry? TryDecode(ReadOnlySpan<byte> record)
    {
        var body = record[..^ChecksumSize];
        Span<byte> expected = stackalloc byte[ChecksumSize];
        Keccak256.Hash(body, expected);
        if (!expected.SequenceEqual(record[^ChecksumSize..]))
        {
            return null;
        }
        var payload = body[LengthSize..];
        var round = new RoundId(BinaryPrimitives.ReadUInt64LittleEndian(payload));
        var digest = new Hash32(payload.Slice(8, Hash32.Size));
        var message = Protocol.V1.ObservationBatch.Parser.ParseFrom(payload[HeaderPayloadSize..].ToArray());
        return new JournalEntry(round, digest, message);
    }
}
