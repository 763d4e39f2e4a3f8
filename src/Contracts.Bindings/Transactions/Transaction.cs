using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Rlp;

namespace SupplyOracle.Contracts.Bindings.Transactions;

/// <summary>An EIP-2930 access list entry.</summary>
/// <param name="Address">The account.</param>
/// <param name="StorageKeys">Its storage slots.</param>
public sealed record AccessListEntry(Address Address, IReadOnlyList<Hash32> StorageKeys);

/// <summary>An unsigned transaction: EIP-1559 (type 2) or legacy (EIP-155 replay-protected).</summary>
public abstract record UnsignedTransaction
{
    private protected UnsignedTransaction()
    {
    }

    /// <summary>The chain id (EIP-155).</summary>
    public abstract ulong ChainId { get; }

    /// <summary>The sender's nonce.</summary>
    public abstract ulong Nonce { get; }

    /// <summary>The gas limit.</summary>
    public abstract ulong GasLimit { get; }

    /// <summary>The recipient, or null for contract creation.</summary>
    public abstract Address? To { get; }

    /// <summary>The hash that is signed.</summary>
    public Hash32 SigningHash => Keccak256.Hash(EncodeForSigning());

    /// <summary>The signing payload.</summary>
    public abstract byte[] EncodeForSigning();

    /// <summary>The raw signed encoding.</summary>
    internal abstract byte[] EncodeSigned(Signature signature);

    /// <summary>Signs: RFC 6979, low s; the transaction hash is keccak256 of the raw bytes.</summary>
    public SignedTransaction Sign(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = key.Sign(SigningHash);
        var raw = EncodeSigned(signature);
        return new SignedTransaction(this, signature, key.Address, raw, Keccak256.Hash(raw));
    }

    private protected static RlpItem ToItem(Address? to) => to is { } a ? RlpItem.Of(a) : RlpItem.Bytes([]);
}

/// <summary>An EIP-1559 dynamic-fee transaction (type 2).</summary>
/// <param name="ChainId">The chain id.</param>
/// <param name="Nonce">The nonce.</param>
/// <param name="MaxPriorityFeePerGas">The tip ceiling.</param>
/// <param name="MaxFeePerGas">The fee ceiling (base fee + tip).</param>
/// <param name="GasLimit">The gas limit.</param>
/// <param name="To">The recipient, null to create a contract.</param>
/// <param name="Value">The value.</param>
/// <param name="Data">The call data or init code.</param>
/// <param name="AccessList">The EIP-2930 access list.</param>
public sealed record Eip1559Transaction(ulong ChainId, ulong Nonce, Wei MaxPriorityFeePerGas, Wei MaxFeePerGas, ulong GasLimit, Address? To,
    Wei Value, ReadOnlyMemory<byte> Data, IReadOnlyList<AccessListEntry>? AccessList = null) : UnsignedTransaction
{
    /// <summary>The EIP-2718 type byte.</summary>
    public const byte Type = 0x02;

    /// <inheritdoc />
    public override ulong ChainId { get; } = ChainId;

    /// <inheritdoc />
    public override ulong Nonce { get; } = Nonce;

    /// <inheritdoc />
    public override ulong GasLimit { get; } = GasLimit;

    /// <inheritdoc />
    public override Address? To { get; } = To;

    /// <summary>EIP-1559: 0x02 || rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList]).</summary>
    public override byte[] EncodeForSigning() => Typed(RlpItem.List([.. Fields()]));

    internal override byte[] EncodeSigned(Signature signature) => Typed(RlpItem.List(
    [
        .. Fields(),
        RlpItem.UInt(signature.RecoveryId),
        RlpItem.UInt(new System.Numerics.BigInteger(signature.R.ToArray(), isUnsigned: true, isBigEndian: true)),
        RlpItem.UInt(new System.Numerics.BigInteger(signature.S.ToArray(), isUnsigned: true, isBigEndian: true)),
    ]));

    private IEnumerable<RlpItem> Fields()
    {
        if (MaxPriorityFeePerGas > MaxFeePerGas)
        {
            throw new InvalidOperationException($"maxPriorityFeePerGas {MaxPriorityFeePerGas} exceeds maxFeePerGas {MaxFeePerGas} (EIP-1559)");
        }

        yield return RlpItem.UInt(ChainId);
        yield return RlpItem.UInt(Nonce);
        yield return RlpItem.UInt(MaxPriorityFeePerGas.Value);
        yield return RlpItem.UInt(MaxFeePerGas.Value);
        yield return RlpItem.UInt(GasLimit);
        yield return ToItem(To);
        yield return RlpItem.UInt(Value.Value);
        yield return RlpItem.Bytes(Data.Span);
        yield return RlpItem.List([.. (AccessList ?? []).Select(e => (RlpItem)RlpItem.List(RlpItem.Of(e.Address),
            RlpItem.List([.. e.StorageKeys.Select(k => (RlpItem)RlpItem.Bytes(k.ToArray()))])))]);
    }

    private static byte[] Typed(RlpItem payload)
    {
        var body = RlpCodec.Encode(payload);
        var bytes = new byte[body.Length + 1];
        bytes[0] = Type;
        body.CopyTo(bytes, 1);
        return bytes;
    }
}

/// <summary>A legacy transaction with EIP-155 replay protection (v = chainId * 2 + 35 + recovery id).</summary>
/// <param name="ChainId">The chain id.</param>
/// <param name="Nonce">The nonce.</param>
/// <param name="GasPrice">The gas price.</param>
/// <param name="GasLimit">The gas limit.</param>
/// <param name="To">The recipient, null to create a contract.</param>
/// <param name="Value">The value.</param>
/// <param name="Data">The call data or init code.</param>
public sealed record LegacyTransaction(ulong ChainId, ulong Nonce, Wei GasPrice, ulong GasLimit, Address? To, Wei Value, ReadOnlyMemory<byte> Data)
    : UnsignedTransaction
{
    /// <inheritdoc />
    public override ulong ChainId { get; } = ChainId;

    /// <inheritdoc />
    public override ulong Nonce { get; } = Nonce;

    /// <inheritdoc />
    public override ulong GasLimit { get; } = GasLimit;

    /// <inheritdoc />
    public override Address? To { get; } = To;

    /// <summary>EIP-155: rlp([nonce, gasPrice, gasLimit, to, value, data, chainId, 0, 0]).</summary>
    public override byte[] EncodeForSigning() => RlpCodec.Encode(RlpItem.List([.. Fields(), RlpItem.UInt(ChainId), RlpItem.UInt(0), RlpItem.UInt(0)]));

    internal override byte[] EncodeSigned(Signature signature) => RlpCodec.Encode(RlpItem.List(
    [
        .. Fields(),
        RlpItem.UInt(new System.Numerics.BigInteger(ChainId) * 2 + 35 + signature.RecoveryId),
        RlpItem.UInt(new System.Numerics.BigInteger(signature.R.ToArray(), isUnsigned: true, isBigEndian: true)),
        RlpItem.UInt(new System.Numerics.BigInteger(signature.S.ToArray(), isUnsigned: true, isBigEndian: true)),
    ]));

    private IEnumerable<RlpItem> Fields()
    {
        yield return RlpItem.UInt(Nonce);
        yield return RlpItem.UInt(GasPrice.Value);
        yield return RlpItem.UInt(GasLimit);
        yield return ToItem(To);
        yield return RlpItem.UInt(Value.Value);
        yield return RlpItem.Bytes(Data.Span);
    }
}

/// <summary>A signed transaction ready for <c>eth_sendRawTransaction</c>.</summary>
/// <param name="Transaction">What was signed.</param>
/// <param name="Signature">The signature.</param>
/// <param name="From">The sender.</param>
/// <param name="Raw">The EIP-2718 encoding.</param>
/// <param name="Hash">keccak256 of the raw encoding: the transaction hash.</param>
public sealed record SignedTransaction(UnsignedTransaction Transaction, Signature Signature, Address From, byte[] Raw, Hash32 Hash);
