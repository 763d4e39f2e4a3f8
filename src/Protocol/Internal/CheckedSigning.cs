using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Signing;

namespace SupplyOracle.Protocol.Internal;

internal static class CheckedSigning
{
    // A remote signer may hold a different key than configured: check before anything leaves the process.
    public static async Task<Signature> SignAsync(ISigner signer, Hash32 digest, CancellationToken cancellationToken)
    {
        var signature = await signer.SignDigestAsync(digest, cancellationToken).ConfigureAwait(false);
        if (!signature.IsLowS)
        {
            throw new SignerException(signer.Address, digest, "the signer returned a high-s signature (EIP-2 requires low s)");
        }

        if (!Ecdsa.Verify(digest, signature, signer.Address))
        {
            throw new SignerException(signer.Address, digest, $"the signature does not verify for the signer's address {signer.Address}");
        }

        return signature;
    }
}
