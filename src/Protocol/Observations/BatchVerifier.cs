using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Internal;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using RulesBatch = SupplyOracle.Rules.Batches.ObservationBatch;

namespace SupplyOracle.Protocol.Observations;

/// <summary>What a received batch is checked against (read from the oracle at one block).</summary>
/// <param name="RoundBlocks">The on-chain <c>roundBlocks</c> (docs/protocol.md section 3).</param>
/// <param name="Reporters">The registered reporters.</param>
/// <param name="Canonical">
/// When known, the receiver's own view of the round being collected (round, <c>B_r</c>, its time and hash): a batch
/// for another round is refused with <see cref="RejectReason.WrongRound"/>, one with another time or hash with
/// <see cref="RejectReason.NotCanonical"/> (section 3: a block reorganised away). Null skips both checks.
/// </param>
public sealed record BatchExpectations(ulong RoundBlocks, ReporterSet Reporters, ReportHeader? Canonical = null);

/// <summary>
/// Verifies received ObservationBatch messages (docs/protocol.md sections 4 and 7) for one deployment. Checks, in order:
/// structure (32-byte hash, 65-byte signature, 60-byte records, tokens strictly ascending, circulating &gt; 0, factor
/// in [1, 1e18]) → <see cref="RejectReason.Malformed"/>; <c>referenceBlock == round * roundBlocks</c> →
/// <see cref="RejectReason.WrongReferenceBlock"/>; the optional canonical header; the signature (low s per EIP-2,
/// <c>v</c> in {27, 28}, recoverable) → <see cref="RejectReason.BadSignature"/>; the signer registered →
/// <see cref="RejectReason.UnknownSigner"/>, <see cref="RejectReason.WrongDomain"/> or <see cref="RejectReason.BadSignature"/>
/// as far as can be known (see <c>RejectUnrecovered</c>). Stateless and thread-safe: deduplication and equivocation need the
/// receiver's memory of earlier batches (key them by (reporter, digest) and by (reporter, round)).
/// </summary>
public sealed class BatchVerifier
{
    private readonly OracleDeployment _deployment;

    /// <summary>Creates a verifier for one deployment (its EIP-712 domain).</summary>
    public BatchVerifier(OracleDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        _deployment = deployment;
    }

    /// <summary>Verifies one received batch; never throws for bad input (the result carries the rejection).</summary>
    public VerificationResult<SignedBatch> Verify(V1.ObservationBatch message, BatchExpectations expectations)
    {
        var result = VerifyCore(message, expectations);
        ProtocolTelemetry.Verified("batch", result.IsValid ? "accepted" : result.Rejection.Reason.ToString());
        return result;
    }

    private VerificationResult<SignedBatch> VerifyCore(V1.ObservationBatch message, BatchExpectations expectations)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(expectations);
        ArgumentNullException.ThrowIfNull(expectations.Reporters);

        if (message.ReferenceHash.Length != Hash32.Size)
        {
            return Reject(RejectReason.Malformed, $"reference_hash has {message.ReferenceHash.Length} bytes, expected 32");
        }

        if (message.Signature.Length != Signature.Size)
        {
            return Reject(RejectReason.BadSignature, $"signature has {message.Signature.Length} bytes, expected 65 (r || s || v)");
        }

        if (message.Reporter.Length is not (0 or 20))
        {
            return Reject(RejectReason.Malformed, $"reporter has {message.Reporter.Length} bytes, expected 20");
        }

        IReadOnlyList<TokenObservation> observations;
        try
        {
            observations = ObservationEncoding.Decode(message.Observations.Span);
        }
        catch (MessageEncodingException e)
        {
            return Reject(RejectReason.Malformed, "observations: " + e.Message);
        }

        if (observations.Count == 0)
        {
            return Reject(RejectReason.Malformed, "the batch has no observations");
        }

        var header = new ReportHeader(new RoundId(message.Round), message.ReferenceBlock, message.ReferenceTime, new Hash32(message.ReferenceHash.Span));

        // docs/protocol.md section 3: round r observes block B_r = r * roundBlocks and nothing else.
        var expectedBlock = (UInt128)message.Round * expectations.RoundBlocks;
        if (expectedBlock != message.ReferenceBlock)
        {
            return Reject(RejectReason.WrongReferenceBlock,
                $"round {message.Round} has reference block {expectedBlock} (roundBlocks {expectations.RoundBlocks}), the batch says {message.ReferenceBlock}");
        }

        var digest = _deployment.TypedData.ObservationBatchDigest(
            header.Round.Value, header.ReferenceBlock, header.ReferenceTime, header.ReferenceHash, message.Observations.Span);

        if (expectations.Canonical is { } canonical)
        {
            if (canonical.Round != header.Round)
            {
                return Reject(RejectReason.WrongRound, $"the batch is for round {header.Round}, round {canonical.Round} is being collected", digest);
            }

            if (canonical != header)
            {
                return Reject(RejectReason.NotCanonical,
                    $"block {header.ReferenceBlock} is {canonical.ReferenceHash} at time {canonical.ReferenceTime}; the batch signed {header.ReferenceHash} at {header.ReferenceTime}",
                    digest);
            }
        }

        if (!SignatureRecovery.TryRecover(digest, message.Signature.Span, out var signer, out var signatureProblem))
        {
            return Reject(RejectReason.BadSignature, signatureProblem, digest);
        }

        var named = message.Reporter.Length == Address.Size ? new Address(message.Reporter.Span) : (Address?)null;
        if (!expectations.Reporters.Contains(signer))
        {
            return RejectUnrecovered(message, header, signer, named, expectations.Reporters, digest);
        }

        if (named is { } claimed && claimed != signer)
        {
            // The informational field disagrees with a registered reporter's valid signature: the field was altered.
            return Reject(RejectReason.BadSignature, $"the signature recovers to {signer} but the batch names reporter {claimed}", digest);
        }

        var batch = new RulesBatch(signer, header, observations);
        return VerificationResult<SignedBatch>.Valid(
            new SignedBatch(batch, message.Observations.ToByteArray(), digest, Signature.FromBytes(message.Signature.Span)), digest);
    }

    /// <summary>
    /// The reason for a signature that recovers, under this deployment's domain, to no registered reporter. What can be
    /// known: ECDSA recovery needs the signed digest, and the digest of another EIP-712 domain cannot be derived from
    /// the signature, so a domain can only be tested by hashing the batch under it and recovering again. A recovery
    /// that yields a registered reporter (the named one, when the batch names one) proves that reporter signed these
    /// exact fields under that domain (a random recovery hits one of at most 31 registered addresses with probability
    /// about 2^-155), so WRONG_DOMAIN is then certain. Only domains that can be enumerated are tested: this oracle's
    /// address under <see cref="OtherChainIds"/> (a chain id misconfigured to a well-known network, the common case;
    /// one recovery each, only on this failure path). Another verifying contract cannot be enumerated, and a
    /// signature over other bytes or a corrupted one looks the same, so otherwise: a batch naming someone other than
    /// the recovered signer gets BAD_SIGNATURE (the signature is not the named reporter's for these fields under this
    /// domain); one naming the recovered signer, or nobody, UNKNOWN_SIGNER (a valid signature of an unregistered key
    /// as far as anyone can tell).
    /// </summary>
    private VerificationResult<SignedBatch> RejectUnrecovered(V1.ObservationBatch message, ReportHeader header, Address signer, Address? named,
        ReporterSet reporters, Hash32 digest)
    {
        foreach (var chainId in OtherChainIds.Where(c => c != _deployment.ChainId))
        {
            var other = new SupplyOracleTypedData(chainId, _deployment.Oracle).ObservationBatchDigest(
                header.Round.Value, header.ReferenceBlock, header.ReferenceTime, header.ReferenceHash, message.Observations.Span);
            if (SignatureRecovery.TryRecover(other, message.Signature.Span, out var otherSigner, out _)
                && reporters.Contains(otherSigner) && (named is null || named == otherSigner))
            {
                return Reject(RejectReason.WrongDomain,
                    $"the batch is signed by registered reporter {otherSigner} under chain id {chainId}; this oracle's EIP-712 domain is chain id {_deployment.ChainId}, verifying contract {_deployment.Oracle} (check the reporter's ChainId setting)",
                    digest);
            }
        }

        return named is { } claimed && claimed != signer
            ? Reject(RejectReason.BadSignature,
                $"the signature is not {claimed}'s over these fields under this oracle's domain (chain id {_deployment.ChainId}, contract {_deployment.Oracle}; it recovers to {signer}): it is corrupted, signed over other bytes, or signed under another EIP-712 domain (another verifying contract or an unusual chain id), which cannot be told apart",
                digest)
            : Reject(RejectReason.UnknownSigner,
                named is null
                    ? $"the batch is signed by {signer}, not a registered reporter (under this oracle's domain: chain id {_deployment.ChainId}, contract {_deployment.Oracle}; it names no reporter, so a corrupted signature or another domain cannot be told from an unknown key)"
                    : $"the batch is signed by {signer}, not a registered reporter",
                digest);
    }

    /// <summary>
    /// Chain ids tried when a signature does not verify under this deployment's: the public networks and the local
    /// development defaults a reporter's <c>ChainId</c> is most likely to be left at (Ethereum mainnet, Sepolia,
    /// Holesky, Hoodi, OP, Base, Arbitrum One, Polygon, Gnosis, BNB Chain, anvil/Hardhat 31337, Ganache 1337).
    /// </summary>
    internal static readonly ulong[] OtherChainIds = [1, 11155111, 17000, 560048, 10, 8453, 42161, 137, 100, 56, 31337, 1337];

    private static VerificationResult<SignedBatch> Reject(RejectReason reason, string message, Hash32? digest = null) =>
        VerificationResult<SignedBatch>.Rejected(new ProtocolRejection(reason, message), digest);
}
