using System.Buffers.Binary;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>
/// The EIP-712 messages of docs/protocol.md section 7 (ObservationBatch and Report) under the domain
/// {name "SupplyOracle", version "1", chainId, verifyingContract}. A fast path for the hot loop (the aggregator
/// verifies every batch): the domain separator and type hashes are computed once, a digest is three Keccak calls and
/// no allocation beyond the payload hash. Equal to <see cref="Eip712"/>'s general hasher, ethers and cast by test.
/// </summary>
public sealed class SupplyOracleTypedData
{
    /// <summary>The EIP-712 type of an observation batch (docs/protocol.md section 7).</summary>
    public const string ObservationBatchType =
        "ObservationBatch(uint64 round,uint64 referenceBlock,uint64 referenceTime,bytes32 referenceHash,bytes observations)";

    /// <summary>The EIP-712 type of a report (docs/protocol.md section 7).</summary>
    public const string ReportType =
        "Report(uint64 round,uint64 referenceBlock,uint64 referenceTime,bytes32 referenceHash,bytes updates)";

    /// <summary>Bytes per observation: token (20) | circulating (32) | factor (8).</summary>
    public const int ObservationSize = 60;

    /// <summary>Bytes per update: token (20) | circulating (16) | factor (8) | status (1).</summary>
    public const int UpdateSize = 45;

    private static readonly Hash32 s_observationBatchTypeHash = Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(ObservationBatchType));
    private static readonly Hash32 s_reportTypeHash = Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(ReportType));

    /// <summary>Creates the signing context of one deployment.</summary>
    public SupplyOracleTypedData(ulong chainId, Address verifyingContract)
    {
        ChainId = chainId;
        VerifyingContract = verifyingContract;
        Domain = new Eip712Domain("SupplyOracle", "1", chainId, verifyingContract);
        DomainSeparator = Domain.Separator;
    }

    /// <summary>The general type description of both messages (for <see cref="Eip712"/>, ethers or cast).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> Types { get; } =
        new Dictionary<string, IReadOnlyList<TypedDataField>>(StringComparer.Ordinal)
        {
            ["ObservationBatch"] = Fields("observations"),
            ["Report"] = Fields("updates"),
        };

    /// <summary>The chain id.</summary>
    public ulong ChainId { get; }

    /// <summary>The SupplyOracle contract.</summary>
    public Address VerifyingContract { get; }

    /// <summary>The domain.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>The domain separator.</summary>
    public Hash32 DomainSeparator { get; }

    /// <summary>The digest an observation batch signature signs.</summary>
    /// <exception cref="ArgumentException">observations not a multiple of 60 bytes.</exception>
    public Hash32 ObservationBatchDigest(ulong round, ulong referenceBlock, ulong referenceTime, Hash32 referenceHash, ReadOnlySpan<byte> observations)
    {
        if (observations.Length % ObservationSize != 0)
        {
            throw new ArgumentException($"observations are {ObservationSize}-byte records, got {observations.Length} bytes", nameof(observations));
        }

        return Digest(s_observationBatchTypeHash, round, referenceBlock, referenceTime, referenceHash, observations);
    }

    /// <summary>The digest a report attestation signs.</summary>
    /// <exception cref="ArgumentException">updates not a multiple of 45 bytes.</exception>
    public Hash32 ReportDigest(ulong round, ulong referenceBlock, ulong referenceTime, Hash32 referenceHash, ReadOnlySpan<byte> updates)
    {
        if (updates.Length % UpdateSize != 0)
        {
            throw new ArgumentException($"updates are {UpdateSize}-byte records, got {updates.Length} bytes", nameof(updates));
        }

        return Digest(s_reportTypeHash, round, referenceBlock, referenceTime, referenceHash, updates);
    }

    private Hash32 Digest(Hash32 typeHash, ulong round, ulong referenceBlock, ulong referenceTime, Hash32 referenceHash, ReadOnlySpan<byte> payload)
    {
        // encodeData: typeHash | uint64 words | bytes32 | keccak256(bytes) (EIP-712 "Definition of encodeData").
        Span<byte> data = stackalloc byte[6 * 32];
        data.Clear();
        typeHash.CopyTo(data);
        BinaryPrimitives.WriteUInt64BigEndian(data[(32 + 24)..], round);
        BinaryPrimitives.WriteUInt64BigEndian(data[(64 + 24)..], referenceBlock);
        BinaryPrimitives.WriteUInt64BigEndian(data[(96 + 24)..], referenceTime);
        referenceHash.CopyTo(data[128..]);
        Keccak256.Hash(payload, data[160..]);
        Span<byte> message = stackalloc byte[66];
        message[0] = 0x19;
        message[1] = 0x01;
        DomainSeparator.CopyTo(message[2..]);
        Keccak256.Hash(data, message[34..]);
        return Keccak256.Hash(message);
    }

    private static IReadOnlyList<TypedDataField> Fields(string payload) =>
    [
        new("round", "uint64"), new("referenceBlock", "uint64"), new("referenceTime", "uint64"),
        new("referenceHash", "bytes32"), new(payload, "bytes"),
    ];
}
