using Nethereum.ABI.FunctionEncoding.Attributes;

namespace SupplyOracle.Contracts.Bindings.Crypto;

/// <summary>
/// The <c>ObservationBatch</c> struct of docs/protocol.md section 7 as Nethereum's EIP-712 encoder describes it: the general
/// encoding that <see cref="SupplyOracleTypedData.ObservationBatchDigest"/> specialises (tests compare the two).
/// </summary>
[Struct(TypeName)]
public sealed class ObservationBatchMessage
{
    /// <summary>The EIP-712 type name.</summary>
    public const string TypeName = "ObservationBatch";

    /// <summary>The round.</summary>
    [Parameter("uint64", "round", 1)] public ulong Round { get; set; }

    /// <summary>The reference block number.</summary>
    [Parameter("uint64", "referenceBlock", 2)] public ulong ReferenceBlock { get; set; }

    /// <summary>The reference block's timestamp.</summary>
    [Parameter("uint64", "referenceTime", 3)] public ulong ReferenceTime { get; set; }

    /// <summary>The reference block's hash.</summary>
    [Parameter("bytes32", "referenceHash", 4)] public byte[] ReferenceHash { get; set; } = new byte[32];

    /// <summary>The 60-byte observation records.</summary>
    [Parameter("bytes", "observations", 5)] public byte[] Observations { get; set; } = [];
}

/// <summary>The <c>Report</c> struct of docs/protocol.md section 7 for Nethereum's EIP-712 encoder.</summary>
[Struct(TypeName)]
public sealed class ReportMessage
{
    /// <summary>The EIP-712 type name.</summary>
    public const string TypeName = "Report";

    /// <summary>The round.</summary>
    [Parameter("uint64", "round", 1)] public ulong Round { get; set; }

    /// <summary>The reference block number.</summary>
    [Parameter("uint64", "referenceBlock", 2)] public ulong ReferenceBlock { get; set; }

    /// <summary>The reference block's timestamp.</summary>
    [Parameter("uint64", "referenceTime", 3)] public ulong ReferenceTime { get; set; }

    /// <summary>The reference block's hash.</summary>
    [Parameter("bytes32", "referenceHash", 4)] public byte[] ReferenceHash { get; set; } = new byte[32];

    /// <summary>The 45-byte update records.</summary>
    [Parameter("bytes", "updates", 5)] public byte[] Updates { get; set; } = [];
}
