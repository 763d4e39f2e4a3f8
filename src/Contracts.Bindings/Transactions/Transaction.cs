using System.Numerics;
using Nethereum.Model;
using Nethereum.Signer;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using Signature = SupplyOracle.Contracts.Bindings.Primitives.Signature;

namespace SupplyOracle.Contracts.Bindings.Transactions;

/// <summary>One entry of an EIP-2930 access list.</summary>
/// <param name="Address">The account.</param>
/// <param name="StorageKeys">Its storage slots.</param>
public sealed record AccessListEntry(Address Address, IReadOnlyList<Hash32> StorageKeys);

/// <summary>
/// An EIP-1559 (type 2) transaction in our value types. Nethereum builds, encodes and signs it
/// (<see cref="Transaction1559"/>, <see cref="Transaction1559Signer"/>); this record is what the sender's policies
/// (fee ceiling, replacement) reason about.
/// </summary>
/// <param name="ChainId">The EIP-155 chain id.</param>
/// <param name="Nonce">The sender's nonce.</param>
/// <param name="MaxPriorityFeePerGas">The tip.</param>
/// <param name="MaxFeePerGas">The fee cap.</param>
/// <param name="GasLimit">The gas limit.</param>
/// <param name="To">The recipient, or null for a contract creation.</param>
/// <param name="Value">The value sent.</param>
/// <param name="Data">The call data or init code.</param>
/// <param name="AccessList">The access list (EIP-2930).</param>
public sealed record Eip1559Transaction(ulong ChainId, ulong Nonce, Wei MaxPriorityFeePerGas, Wei MaxFeePerGas, ulong GasLimit, Address? To,
    Wei Value, ReadOnlyMemory<byte> Data, IReadOnlyList<AccessListEntry>? AccessList = null)
{
    /// <summary>The EIP-2718 type byte.</summary>
    public const byte Type = 0x02;

    /// <summary>The hash the signature signs: keccak256(0x02 ‖ rlp(fields)) (EIP-1559), from Nethereum's encoding.</summary>
    public Hash32 SigningHash => new(ToNethereum().RawHash);

    /// <summary>Signs with Nethereum's EIP-1559 signer and returns the raw transaction with its hash and sender.</summary>
    /// <exception cref="InvalidOperationException">the tip exceeds the fee cap (EIP-1559).</exception>
    public SignedTransaction Sign(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (MaxPriorityFeePerGas > MaxFeePerGas)
        {
            throw new InvalidOperationException($"maxPriorityFeePerGas {MaxPriorityFeePerGas} exceeds maxFeePerGas {MaxFeePerGas} (EIP-1559)");
        }

        var transaction = ToNethereum();
        new Transaction1559Signer().SignTransaction(key.EthECKey, transaction);
        return SignedTransaction.FromNethereum(this, transaction);
    }

    internal Transaction1559 ToNethereum() => new(ChainId, Nonce, MaxPriorityFeePerGas.Value, MaxFeePerGas.Value, GasLimit, To?.ToString(),
        Value.Value, Hex.Encode(Data.Span),
        [.. (AccessList ?? []).Select(e => new AccessListItem(e.Address.ToString(), [.. e.StorageKeys.Select(k => k.ToArray())]))]);
}

/// <summary>A signed transaction: its fields, signature, recovered sender, raw bytes and hash.</summary>
/// <param name="Transaction">The transaction.</param>
/// <param name="Signature">The signature (v as 27/28).</param>
/// <param name="From">The sender recovered from the signature.</param>
/// <param name="Raw">The EIP-2718 envelope broadcast with eth_sendRawTransaction.</param>
/// <param name="Hash">keccak256 of <paramref name="Raw"/>.</param>
public sealed record SignedTransaction(Eip1559Transaction Transaction, Signature Signature, Address From, byte[] Raw, Hash32 Hash)
{
    /// <summary>
    /// Decodes a raw EIP-1559 transaction with Nethereum's <see cref="TransactionFactory"/> and recovers its sender (for
    /// an intent recorded before a crash).
    /// </summary>
    /// <exception cref="FormatException">not an EIP-1559 transaction, or malformed.</exception>
    /// <exception cref="InvalidSignatureException">the signature is invalid (high s included).</exception>
    public static SignedTransaction Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty || raw[0] != Eip1559Transaction.Type)
        {
            throw new FormatException("not an EIP-1559 (type 2) transaction");
        }

        Transaction1559 decoded;
        try
        {
            decoded = TransactionFactory.CreateTransaction(raw.ToArray()) as Transaction1559
                ?? throw new FormatException("not an EIP-1559 (type 2) transaction");
        }
        catch (Exception ex) when (ex is not FormatException and not OutOfMemoryException)
        {
            throw new FormatException($"malformed EIP-1559 transaction: {ex.Message}", ex);
        }

        var transaction = new Eip1559Transaction((ulong)decoded.ChainId, (ulong)decoded.Nonce.GetValueOrDefault(),
            new Wei(decoded.MaxPriorityFeePerGas.GetValueOrDefault()), new Wei(decoded.MaxFeePerGas.GetValueOrDefault()),
            (ulong)decoded.GasLimit.GetValueOrDefault(), string.IsNullOrEmpty(decoded.ReceiverAddress) ? null : Address.Parse(decoded.ReceiverAddress),
            new Wei(decoded.Amount.GetValueOrDefault()), string.IsNullOrEmpty(decoded.Data) ? Array.Empty<byte>() : Hex.Decode(decoded.Data),
            [.. (decoded.AccessList ?? []).Select(i => new AccessListEntry(Address.Parse(i.Address), [.. (i.StorageKeys ?? []).Select(k => new Hash32(k))]))]);
        // Re-encoded from the decoded fields, the bytes must be the input: no trailing or non-minimal encodings.
        var canonical = transaction.ToNethereum();
        canonical.SetSignature(decoded.Signature);
        if (!canonical.GetRLPEncoded().AsSpan().SequenceEqual(raw))
        {
            throw new FormatException("the transaction is not in canonical RLP form (trailing or non-minimal bytes)");
        }

        return FromNethereum(transaction, canonical);
    }

    internal static SignedTransaction FromNethereum(Eip1559Transaction transaction, Transaction1559 signed)
    {
        var yParity = signed.Signature?.V is { Length: > 0 } v ? new BigInteger(v, isUnsigned: true, isBigEndian: true) : BigInteger.MinusOne;
        if (yParity < 0 || yParity > 1)
        {
            throw new InvalidSignatureException(InvalidSignatureReason.BadRecoveryId, $"yParity must be 0 or 1, got {yParity}");
        }

        var signature = new Signature(Word(signed.Signature!.R), Word(signed.Signature.S), (byte)(27 + (int)yParity));
        var from = Ecdsa.Recover(new Hash32(signed.RawHash), signature);
        return new SignedTransaction(transaction, signature, from, signed.GetRLPEncoded(), new Hash32(signed.Hash));
    }

    private static Hash32 Word(byte[]? value)
    {
        if (value is null || value.Length > 32)
        {
            throw new InvalidSignatureException(InvalidSignatureReason.ROutOfRange, "a signature component is longer than 32 bytes");
        }

        var word = new byte[32];
        value.CopyTo(word, 32 - value.Length);
        return new Hash32(word);
    }
}
