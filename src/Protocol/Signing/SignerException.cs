using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Protocol.Signing;

/// <summary>
/// An <see cref="ISigner"/> returned a signature that does not verify for its own address (a misconfigured KMS key,
/// a high-s signature): it is never sent, because every receiver would reject it.
/// </summary>
public sealed class SignerException(Address signer, Hash32 digest, string message) : Exception(message)
{
    /// <summary>The signer's claimed address.</summary>
    public Address Signer { get; } = signer;

    /// <summary>The digest that was signed.</summary>
    public Hash32 Digest { get; } = digest;
}
