using System.Globalization;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Intake.Internal;

/// <summary>A batch that parsed: its fields as domain values and its EIP-712 digest.</summary>
internal sealed record ParsedBatch(ulong Round, ulong ReferenceBlock, ulong ReferenceTime, Hash32 ReferenceHash, byte[] Observations,
    int TokenCount, Signature Signature, Address? ClaimedReporter, Hash32 Digest);

/// <summary>The stateless checks of one batch: shape (PROTOCOL.md section 7), schedule (section 3) and signature (EIP-712, EIP-2).</summary>
internal static class BatchCheck
{
    /// <summary>Parses the wire batch; a failure is a MALFORMED or BAD_SIGNATURE verdict.</summary>
    public static ParsedBatch? Parse(ObservationBatch batch, SupplyOracleTypedData typedData, out IntakeVerdict rejection)
    {
        rejection = default;
        if (batch.ReferenceHash.Length != Hash32.Size)
        {
            rejection = Reject(Hash32.Zero, batch.Round, RejectReason.Malformed, $"reference_hash has {batch.ReferenceHash.Length} bytes; 32 expected");
            return null;
        }

        // The digest covers the bytes as sent, so even a batch whose observations do not decode is identified by it.
        var observations = batch.Observations.ToByteArray();
        var referenceHash = new Hash32(batch.ReferenceHash.Span);
        var digest = typedData.ObservationBatchDigest(batch.Round, batch.ReferenceBlock, batch.ReferenceTime, referenceHash, observations);
        if (batch.Reporter.Length is not (0 or Address.Size))
        {
            rejection = Reject(digest, batch.Round, RejectReason.Malformed, $"reporter has {batch.Reporter.Length} bytes; 20 (or none) expected");
            return null;
        }

        int tokenCount;
        try
        {
            tokenCount = ObservationEncoding.Decode(observations).Count;
        }
        catch (MessageEncodingException e)
        {
            rejection = Reject(digest, batch.Round, RejectReason.Malformed, $"observations: {e.Field} at byte {e.Offset}: {e.Message}");
            return null;
        }

        // PROTOCOL.md section 6 and the proto: 65 bytes r || s || v with v in {27, 28} (the contract takes no 0/1).
        var signatureBytes = batch.Signature.Span;
        if (signatureBytes.Length != Signature.Size || signatureBytes[64] is not (27 or 28))
        {
            rejection = Reject(digest, batch.Round, RejectReason.BadSignature,
                signatureBytes.Length != Signature.Size
                    ? $"signature has {signatureBytes.Length} bytes; 65 expected"
                    : $"signature v is {signatureBytes[64]}; 27 or 28 expected");
            return null;
        }

        Signature signature;
        try
        {
            signature = Signature.FromBytes(signatureBytes);
        }
        catch (InvalidSignatureException e)
        {
            rejection = Reject(digest, batch.Round, RejectReason.BadSignature, $"signature: {e.Reason}: {e.Message}");
            return null;
        }

        if (!signature.IsLowS)
        {
            rejection = Reject(digest, batch.Round, RejectReason.BadSignature, "signature s is above n/2 (EIP-2 requires low s)");
            return null;
        }

        Address? claimed = batch.Reporter.Length == 0 ? null : new Address(batch.Reporter.Span);
        return new ParsedBatch(batch.Round, batch.ReferenceBlock, batch.ReferenceTime, referenceHash, observations, tokenCount, signature, claimed, digest);
    }

    /// <summary>
    /// Finds the signer among the registered reporters. The claimed reporter is tried first (a verification against its
    /// cached public key); otherwise the signer is recovered. A signature that does not verify for a registered claimed
    /// reporter under this oracle's domain was made under another domain (chain id or contract, EIP-712 section
    /// "domainSeparator") or over other bytes: WRONG_DOMAIN; an unregistered signer: UNKNOWN_SIGNER.
    /// </summary>
    public static Address? Authenticate(ParsedBatch batch, IntakeView view, SupplyOracleTypedData typedData, out IntakeVerdict rejection, out Address? recovered)
    {
        rejection = default;
        recovered = null;
        if (batch.ClaimedReporter is { } claimed && view.Reporters.Contains(claimed) && Ecdsa.Verify(batch.Digest, batch.Signature, claimed))
        {
            recovered = claimed;
            return claimed;
        }

        try
        {
            recovered = Ecdsa.Recover(batch.Digest, batch.Signature);
        }
        catch (InvalidSignatureException e)
        {
            rejection = Reject(batch.Digest, batch.Round, RejectReason.BadSignature, $"signature does not recover: {e.Reason}");
            return null;
        }

        if (view.Reporters.Contains(recovered.Value))
        {
            return recovered;
        }

        rejection = batch.ClaimedReporter is { } c && view.Reporters.Contains(c)
            ? Reject(batch.Digest, batch.Round, RejectReason.WrongDomain, string.Create(CultureInfo.InvariantCulture,
                $"signature does not verify for reporter {c} under domain (chainId {typedData.ChainId}, verifyingContract {typedData.VerifyingContract}); recovered {recovered}"))
            : Reject(batch.Digest, batch.Round, RejectReason.UnknownSigner, $"signer {recovered} is not a registered reporter");
        return null;
    }

    /// <summary>The schedule checks that need no chain call (PROTOCOL.md section 3: <c>B_r = r * roundBlocks</c>).</summary>
    public static bool CheckSchedule(ParsedBatch batch, IntakeView view, out IntakeVerdict rejection)
    {
        rejection = default;
        if (!TryReferenceBlock(batch.Round, view.RoundBlocks, out var expected) || expected != batch.ReferenceBlock)
        {
            rejection = Reject(batch.Digest, batch.Round, RejectReason.WrongReferenceBlock, string.Create(CultureInfo.InvariantCulture,
                $"round {batch.Round} has reference block {batch.Round} * {view.RoundBlocks}; the batch says {batch.ReferenceBlock}"));
            return false;
        }

        if (batch.Round <= view.LastRound)
        {
            rejection = Reject(batch.Digest, batch.Round, RejectReason.StaleRound, string.Create(CultureInfo.InvariantCulture,
                $"round {batch.Round} is not after the oracle's lastRound {view.LastRound}"));
            return false;
        }

        return true;
    }

    /// <summary>
    /// The chain checks (PROTOCOL.md sections 3 and 6): B_r is mined, still within <c>maxReportAgeBlocks</c>, and the
    /// signed hash and time are those of the canonical block B_r.
    /// </summary>
    public static async ValueTask<IntakeVerdict?> CheckChainAsync(ParsedBatch batch, IntakeView view, ICanonicalChain chain, CancellationToken cancellationToken)
    {
        var head = await chain.HeadAsync(cancellationToken).ConfigureAwait(false);
        if (head < batch.ReferenceBlock)
        {
            return Reject(batch.Digest, batch.Round, RejectReason.WrongRound, string.Create(CultureInfo.InvariantCulture,
                $"reference block {batch.ReferenceBlock} is ahead of the head {head}"));
        }

        if (head - batch.ReferenceBlock > view.MaxReportAgeBlocks)
        {
            return Reject(batch.Digest, batch.Round, RejectReason.StaleRound, string.Create(CultureInfo.InvariantCulture,
                $"reference block {batch.ReferenceBlock} is {head - batch.ReferenceBlock} blocks old; the contract takes at most {view.MaxReportAgeBlocks}"));
        }

        var block = await chain.GetBlockAsync(batch.ReferenceBlock, cancellationToken).ConfigureAwait(false);
        if (block is not { } b || b.Hash != batch.ReferenceHash || b.Timestamp != batch.ReferenceTime)
        {
            return Reject(batch.Digest, batch.Round, RejectReason.NotCanonical, string.Create(CultureInfo.InvariantCulture,
                $"block {batch.ReferenceBlock} is {block?.Hash.ToString() ?? "missing"} at {block?.Timestamp.ToString(CultureInfo.InvariantCulture) ?? "-"}; the batch says {batch.ReferenceHash} at {batch.ReferenceTime}"));
        }

        return null;
    }

    public static IntakeVerdict Reject(Hash32 digest, ulong round, RejectReason reason, string message) => new(digest, round, reason, message);

    private static bool TryReferenceBlock(ulong round, ulong roundBlocks, out ulong block)
    {
        var product = (UInt128)round * roundBlocks;
        block = (ulong)product;
        return product <= ulong.MaxValue;
    }
}
