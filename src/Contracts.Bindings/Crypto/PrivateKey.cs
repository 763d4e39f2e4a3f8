using Nethereum.Signer;
using SupplyOracle.Contracts.Bindings.Internal;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>
/// A secp256k1 private key (Nethereum's <see cref="EthECKey"/>) with its address. Signatures are deterministic
/// (RFC 6979) and low-s (EIP-2), made by NBitcoin.Secp256k1 (<see cref="EthECKey.SignRecoverable"/>), the one
/// secp256k1 implementation of the project.
/// </summary>
public sealed class PrivateKey
{
    private readonly EthECKey _key;
    private readonly byte[] _publicKey;

    static PrivateKey()
    {
        // Nethereum signs through BouncyCastle unless told to sign recoverably through NBitcoin.Secp256k1 (libsecp256k1's
        // port, RFC 6979 nonces, normalised low s): one implementation for signing and recovery.
        EthECKey.SignRecoverable = true;
    }

    private PrivateKey(byte[] bytes)
    {
        _key = new EthECKey(bytes, true);
        // The public key from NBitcoin.Secp256k1 (Nethereum's EthECKey would derive it with BouncyCastle's curve).
        using var secret = NBitcoin.Secp256k1.Context.Instance.CreateECPrivKey(bytes);
        var uncompressed = new byte[65];
        secret.CreatePubKey().WriteToSpan(false, uncompressed, out _);
        _publicKey = uncompressed[1..];
        Address = Primitives.Address.FromPublicKey(_publicKey);
    }

    /// <summary>The account address.</summary>
    public Address Address { get; }

    /// <summary>The uncompressed public key without the 0x04 prefix (64 bytes).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The Nethereum key (for Nethereum's signers: transactions, keystores).</summary>
    internal EthECKey EthECKey => _key;

    /// <summary>A key from its 32 big-endian bytes.</summary>
    /// <exception cref="ArgumentException">not 32 bytes, or not in [1, n-1].</exception>
    public static PrivateKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32)
        {
            throw new ArgumentException($"a private key has 32 bytes, got {bytes.Length}", nameof(bytes));
        }

        if (!NBitcoin.Secp256k1.Context.Instance.TryCreateECPrivKey(bytes, out var check))
        {
            throw new ArgumentException("a private key must be in [1, n-1] of secp256k1", nameof(bytes));
        }

        check.Dispose();
        return new PrivateKey(bytes.ToArray());
    }

    /// <summary>A key from hex (with or without 0x).</summary>
    public static PrivateKey Parse(string hex) => FromBytes(Hex.Decode(hex));

    /// <summary>A new random key (Nethereum's generator, a cryptographic random source).</summary>
    public static PrivateKey Generate() => new(EthECKey.GenerateKey().GetPrivateKeyAsBytes());

    /// <summary>The 32 key bytes (handle with care).</summary>
    public byte[] ExportBytes() => _key.GetPrivateKeyAsBytes();

    /// <summary>Signs a 32-byte digest: low s, v = 27 + recovery id.</summary>
    public Signature Sign(Hash32 digest) => NethereumConvert.ToSignature(_key.SignAndCalculateV(digest.ToArray()));

    /// <summary>Signs an EIP-191 version 0x45 message (personal_sign) with Nethereum's message signer's prefix.</summary>
    public Signature SignMessage(ReadOnlySpan<byte> message) => Sign(HashMessage(message));

    /// <summary>keccak256("\x19Ethereum Signed Message:\n" + length + message) (EIP-191 version 0x45).</summary>
    public static Hash32 HashMessage(ReadOnlySpan<byte> message) =>
        new(new EthereumMessageSigner().HashPrefixedMessage(message.ToArray()));

    /// <summary>Describes the key by its address only.</summary>
    public override string ToString() => $"PrivateKey({Address})";
}
