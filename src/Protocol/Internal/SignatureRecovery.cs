using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Protocol.Internal;

internal static class SignatureRecovery
{
    // The contract's acceptance rule (docs/protocol.md section 6): 65 bytes r || s || v, v in {27, 28} (not 0/1), low s
    // (EIP-2), recoverable to a non-zero address.
    public static bool TryRecover(Hash32 digest, ReadOnlySpan<byte> bytes, out Address signer, out string problem)
    {
        signer = default;
        if (bytes.Length != Signature.Size)
        {
            problem = $"a signature has 65 bytes (r || s || v), got {bytes.Length}";
            return false;
        }

        if (bytes[64] is not (27 or 28))
        {
            problem = $"v must be 27 or 28, got {bytes[64]}";
            return false;
        }

        try
        {
            signer = Ecdsa.Recover(digest, Signature.FromBytes(bytes));
        }
        catch (InvalidSignatureException e)
        {
            problem = $"{e.Reason}: {e.Message}";
            return false;
        }

        problem = string.Empty;
        return true;
    }
}
