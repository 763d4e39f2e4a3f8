using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Reporter.Supply;

/// <summary>
/// The pinned reference block is no longer canonical on an endpoint: the round must be re-read at the new block
/// (docs/protocol.md section 3; EIP-1898 <c>requireCanonical</c>).
/// </summary>
public sealed class BlockReorganisedException(string endpoint, ulong blockNumber, Hash32 expected, Hash32? actual)
    : Exception($"block {blockNumber} is no longer {expected} on {endpoint} (now {actual?.ToString() ?? "absent"}): reorganised")
{
    /// <summary>The endpoint that reported the reorg.</summary>
    public string Endpoint { get; } = endpoint;

    /// <summary>The block number.</summary>
    public ulong BlockNumber { get; } = blockNumber;

    /// <summary>The hash the read was pinned to.</summary>
    public Hash32 Expected { get; } = expected;

    /// <summary>The canonical hash at that height now, or null when the node has no block there.</summary>
    public Hash32? Actual { get; } = actual;
}
