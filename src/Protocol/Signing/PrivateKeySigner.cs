using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Keystore;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Protocol.Signing;

/// <summary>
/// An <see cref="ISigner"/> over an in-memory secp256k1 key: RFC 6979 deterministic nonces, low <c>s</c> (EIP-2),
/// <c>v</c> in {27, 28}. Typically loaded from a Web3 Secret Storage (keystore V3) file.
/// </summary>
public sealed class PrivateKeySigner : ISigner
{
    private readonly PrivateKey _key;

    /// <summary>Wraps a key.</summary>
    public PrivateKeySigner(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
    }

    /// <inheritdoc />
    public Address Address => _key.Address;

    /// <summary>
    /// Decrypts a keystore V3 JSON document with its password. Throws <see cref="KeystoreException"/> (with its
    /// <see cref="KeystoreException.Error"/>) for a wrong password or a malformed file.
    /// </summary>
    public static PrivateKeySigner FromKeystore(string keystoreJson, string password) => new(KeystoreV3.Decrypt(keystoreJson, password));

    /// <inheritdoc />
    public Task<Signature> SignDigestAsync(Hash32 digest, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_key.Sign(digest));
    }

    /// <summary>Shows the address only, never the key.</summary>
    public override string ToString() => $"PrivateKeySigner({Address})";
}
