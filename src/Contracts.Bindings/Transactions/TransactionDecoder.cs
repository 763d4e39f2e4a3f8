using System.Numerics;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Rlp;

namespace SupplyOracle.Contracts.Bindings.Transactions;

/// <summary>Decodes raw signed transactions (EIP-2718 envelopes: type 2, or legacy EIP-155) and recovers the sender.</summary>
public static class TransactionDecoder
{
    /// <summary>Decodes and recovers the sender; the re-encoding must equal the input (canonical form only).</summary>
    /// <exception cref="RlpException">malformed or non-canonical encoding, unknown type or wrong field count.</exception>
    /// <exception cref="InvalidSignatureException">an invalid signature (high s included).</exception>
    public static SignedTransaction Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty)
        {
            throw new RlpException(RlpError.Truncated, 0, "empty transaction");
        }

        UnsignedTransaction tx;
        Signature signature;
        if (raw[0] == Eip1559Transaction.Type)
        {
            var f = Fields(RlpCodec.Decode(raw[1..]), 12);
            tx = new Eip1559Transaction(f[0].AsUInt64(), f[1].AsUInt64(), new Wei(f[2].AsUInt()), new Wei(f[3].AsUInt()), f[4].AsUInt64(),
                To(f[5]), new Wei(f[6].AsUInt()), f[7].Value, AccessList(f[8].Item as RlpList ?? throw new RlpException(RlpError.UnexpectedShape, -1, "the access list is a list")));
            var yParity = f[9].AsUInt();
            if (yParity > 1)
            {
                throw new InvalidSignatureException(InvalidSignatureReason.BadRecoveryId, $"yParity must be 0 or 1, got {yParity}");
            }

            signature = new Signature(Word(f[10]), Word(f[11]), (byte)(27 + (int)yParity));
        }
        else if (raw[0] >= 0xc0)
        {
            var f = Fields(RlpCodec.Decode(raw), 9);
            var v = f[6].AsUInt();
            if (v < 37)
            {
                throw new InvalidSignatureException(InvalidSignatureReason.BadRecoveryId, $"v = {v} is not EIP-155 replay-protected");
            }

            var chainId = (v - 35) / 2;
            tx = new LegacyTransaction((ulong)chainId, f[0].AsUInt64(), new Wei(f[1].AsUInt()), f[2].AsUInt64(), To(f[3]), new Wei(f[4].AsUInt()), f[5].Value);
            signature = new Signature(Word(f[7]), Word(f[8]), (byte)(27 + (int)((v - 35) % 2)));
        }
        else
        {
            throw new RlpException(RlpError.UnexpectedShape, 0, $"unsupported transaction type 0x{raw[0]:x2}");
        }

        var from = Ecdsa.Recover(tx.SigningHash, signature);
        var signed = tx.Sign(signature, from);
        return signed.Raw.AsSpan().SequenceEqual(raw)
            ? signed
            : throw new RlpException(RlpError.NonCanonical, 0, "the transaction does not re-encode to the same bytes");
    }

    private static SignedTransaction Sign(this UnsignedTransaction tx, Signature signature, Address from)
    {
        var raw = tx.EncodeSigned(signature);
        return new SignedTransaction(tx, signature, from, raw, Keccak256.Hash(raw));
    }

    private static RlpStringField[] Fields(RlpItem item, int count)
    {
        var list = item as RlpList ?? throw new RlpException(RlpError.UnexpectedShape, -1, "a transaction is an RLP list");
        if (list.Items.Count != count)
        {
            throw new RlpException(RlpError.UnexpectedShape, -1, $"expected {count} fields, got {list.Items.Count}");
        }

        return [.. list.Items.Select(i => new RlpStringField(i))];
    }

    private static Address? To(RlpStringField field) => field.Value.Length switch
    {
        0 => null,
        20 => new Address(field.Value),
        var n => throw new RlpException(RlpError.UnexpectedShape, -1, $"'to' must be empty or 20 bytes, got {n}"),
    };

    private static Hash32 Word(RlpStringField field)
    {
        var value = field.AsUInt();
        if (value.GetByteCount(isUnsigned: true) > 32)
        {
            throw new RlpException(RlpError.Overflow, -1, "signature component exceeds 32 bytes");
        }

        var bytes = new byte[32];
        value.TryWriteBytes(bytes.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return new Hash32(bytes);
    }

    private static List<AccessListEntry> AccessList(RlpList list) =>
    [
        .. list.Items.Select(entry =>
        {
            var pair = entry as RlpList ?? throw new RlpException(RlpError.UnexpectedShape, -1, "an access list entry is a list");
            if (pair.Items.Count != 2 || pair.Items[0] is not RlpString { Value.Length: 20 } address || pair.Items[1] is not RlpList keys)
            {
                throw new RlpException(RlpError.UnexpectedShape, -1, "an access list entry is [address, [keys]]");
            }

            return new AccessListEntry(new Address(address.Value), [.. keys.Items.Select(k => k is RlpString { Value.Length: 32 } s
                ? new Hash32(s.Value)
                : throw new RlpException(RlpError.UnexpectedShape, -1, "a storage key has 32 bytes"))]);
        }),
    ];

    private sealed class RlpStringField(RlpItem item)
    {
        public RlpItem Item { get; } = item;

        public byte[] Value => (Item as RlpString ?? throw new RlpException(RlpError.UnexpectedShape, -1, "expected a byte string")).Value;

        public BigInteger AsUInt() => (Item as RlpString ?? throw new RlpException(RlpError.UnexpectedShape, -1, "expected a scalar")).AsUInt();

        public ulong AsUInt64() => (Item as RlpString ?? throw new RlpException(RlpError.UnexpectedShape, -1, "expected a scalar")).AsUInt64();
    }
}
