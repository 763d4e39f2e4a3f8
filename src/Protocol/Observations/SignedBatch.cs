using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using RulesBatch = SupplyOracle.Rules.Batches.ObservationBatch;

namespace SupplyOracle.Protocol.Observations;

/// <summary>
/// A signed ObservationBatch (docs/protocol.md sections 4 and 7) whose signature has been made or checked: the reporter is
/// the signer, <see cref="Digest"/> its EIP-712 digest (the acknowledgement's <c>message_hash</c>). The signed message
/// does not name its signer, so two honest reporters with identical observations sign the same digest: deduplicate by
/// (<see cref="Reporter"/>, <see cref="Digest"/>). Produced by <see cref="ObservationBatchSigner"/> and <see cref="BatchVerifier"/> only.
/// </summary>
public sealed class SignedBatch
{
    internal SignedBatch(RulesBatch batch, byte[] observations, Hash32 digest, Signature signature)
    {
        Batch = batch;
        _observations = observations;
        Digest = digest;
        Signature = signature;
    }

    private readonly byte[] _observations;

    /// <summary>The batch as the rules engine takes it (signer, header, observations).</summary>
    public RulesBatch Batch { get; }

    /// <summary>The signer (a registered reporter when it came from <see cref="BatchVerifier"/>).</summary>
    public Address Reporter => Batch.Reporter;

    /// <summary>Round, reference block, time and hash as signed.</summary>
    public ReportHeader Header => Batch.Header;

    /// <summary>The observations, tokens strictly ascending.</summary>
    public IReadOnlyList<TokenObservation> Observations => Batch.Observations;

    /// <summary>The signed <c>observations</c> bytes (60 bytes per entry).</summary>
    public ReadOnlySpan<byte> ObservationBytes => _observations;

    /// <summary>The EIP-712 digest (acknowledgement <c>message_hash</c>; dedup key together with <see cref="Reporter"/>).</summary>
    public Hash32 Digest { get; }

    /// <summary>The reporter's signature over <see cref="Digest"/>.</summary>
    public Signature Signature { get; }

    /// <summary>The gossip message carrying exactly the signed bytes.</summary>
    public V1.ObservationBatch ToProto() => new()
    {
        Round = Header.Round.Value,
        ReferenceBlock = Header.ReferenceBlock,
        ReferenceTime = Header.ReferenceTime,
        ReferenceHash = ByteString.CopyFrom(Header.ReferenceHash.ToArray()),
        Observations = ByteString.CopyFrom(_observations),
        Signature = ByteString.CopyFrom(Signature.ToArray()),
        Reporter = ByteString.CopyFrom(Reporter.ToArray()),
    };

    /// <summary>Shows round, reporter and digest.</summary>
    public override string ToString() => $"ObservationBatch(round {Header.Round}, reporter {Reporter}, {Observations.Count} tokens, {Digest})";
}
