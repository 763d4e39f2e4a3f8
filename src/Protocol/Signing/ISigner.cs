using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Protocol.Signing;

/// <summary>
/// A reporter's signing key. Asynchronous so that a remote backend (KMS, HSM, a signing service) fits behind it.
/// Implementations return Ethereum ECDSA signatures over the given 32-byte digest with low <c>s</c> (EIP-2) and
/// <c>v</c> in {27, 28}: the only form the contract accepts (docs/protocol.md section 6).
/// </summary>
public interface ISigner
{
    /// <summary>The signer's address (the registered reporter address).</summary>
    Address Address { get; }

    /// <summary>Signs an EIP-712 digest (not a message: no further hashing).</summary>
    Task<Signature> SignDigestAsync(Hash32 digest, CancellationToken cancellationToken = default);
}
