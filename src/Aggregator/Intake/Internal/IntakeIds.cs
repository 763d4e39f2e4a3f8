using System.Text;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Intake.Internal;

/// <summary>
/// Deterministic event ids: the event store treats a repeated id as the same append (idempotence), so a batch delivered
/// again, by a reporter retrying or after the aggregator crashed between append and acknowledgement, is appended once.
/// </summary>
internal static class IntakeIds
{
    public static Guid For(string purpose, Hash32 digest, string? extra = null)
    {
        var text = Encoding.UTF8.GetBytes($"supplyoracle.intake/{purpose}/{digest}/{extra}");
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(text, hash);
        // RFC 9562 section 5.8 (version 8, custom): set the version and variant bits.
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    public static Guid ForBytes(string purpose, ReadOnlySpan<byte> bytes) => For(purpose, Keccak256.Hash(bytes));
}
