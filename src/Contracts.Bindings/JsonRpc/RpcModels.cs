using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>A block header with its transaction hashes.</summary>
/// <param name="Number">The number.</param>
/// <param name="Hash">The hash.</param>
/// <param name="ParentHash">The parent's hash.</param>
/// <param name="Timestamp">Unix seconds.</param>
/// <param name="BaseFeePerGas">The EIP-1559 base fee (null before London).</param>
/// <param name="GasLimit">The gas limit.</param>
/// <param name="TransactionHashes">The transactions.</param>
public sealed record Block(ulong Number, Hash32 Hash, Hash32 ParentHash, ulong Timestamp, Wei? BaseFeePerGas, ulong GasLimit,
    IReadOnlyList<Hash32> TransactionHashes);

/// <summary>A log entry.</summary>
/// <param name="Address">The emitting contract.</param>
/// <param name="Topics">The topics.</param>
/// <param name="Data">The data.</param>
/// <param name="BlockNumber">The block number.</param>
/// <param name="BlockHash">The block hash.</param>
/// <param name="TransactionHash">The transaction.</param>
/// <param name="LogIndex">The index in the block.</param>
/// <param name="Removed">True when a reorganisation removed it (from a filter).</param>
public sealed record LogEntry(Address Address, IReadOnlyList<Hash32> Topics, byte[] Data, ulong BlockNumber, Hash32 BlockHash, Hash32 TransactionHash,
    ulong LogIndex, bool Removed);

/// <summary>A transaction receipt.</summary>
/// <param name="TransactionHash">The transaction.</param>
/// <param name="BlockNumber">The block it was mined in.</param>
/// <param name="BlockHash">That block's hash.</param>
/// <param name="Succeeded">status == 1 (EIP-658).</param>
/// <param name="GasUsed">Gas used.</param>
/// <param name="EffectiveGasPrice">The price paid per gas.</param>
/// <param name="ContractAddress">The created contract, if any.</param>
/// <param name="Logs">The logs.</param>
public sealed record TransactionReceipt(Hash32 TransactionHash, ulong BlockNumber, Hash32 BlockHash, bool Succeeded, ulong GasUsed, Wei EffectiveGasPrice,
    Address? ContractAddress, IReadOnlyList<LogEntry> Logs);

/// <summary>What eth_feeHistory returned.</summary>
/// <param name="OldestBlock">The first block covered.</param>
/// <param name="BaseFeePerGas">Base fees, one more than the block count (the next block's).</param>
/// <param name="GasUsedRatio">Fullness of each block.</param>
/// <param name="Reward">Per block, the requested reward percentiles.</param>
public sealed record FeeHistory(ulong OldestBlock, IReadOnlyList<Wei> BaseFeePerGas, IReadOnlyList<double> GasUsedRatio, IReadOnlyList<IReadOnlyList<Wei>> Reward);

/// <summary>An eth_call / eth_estimateGas request.</summary>
/// <param name="To">The contract (null to simulate a creation).</param>
/// <param name="Data">The call data.</param>
/// <param name="From">The caller, if it matters.</param>
/// <param name="Value">The value sent.</param>
/// <param name="Gas">A gas cap.</param>
public sealed record CallRequest(Address? To, ReadOnlyMemory<byte> Data, Address? From = null, Wei? Value = null, ulong? Gas = null);

/// <summary>A log filter over a block range.</summary>
/// <param name="FromBlock">First block (inclusive).</param>
/// <param name="ToBlock">Last block (inclusive).</param>
/// <param name="Addresses">Contracts (empty: any).</param>
/// <param name="Topics">Per position, the accepted topics (null: any).</param>
public sealed record LogFilter(ulong FromBlock, ulong ToBlock, IReadOnlyList<Address> Addresses, IReadOnlyList<IReadOnlyList<Hash32>?>? Topics = null);

/// <summary>A transaction as the node reports it (the fields the sender needs).</summary>
/// <param name="Hash">The hash.</param>
/// <param name="From">The sender.</param>
/// <param name="Nonce">The nonce.</param>
/// <param name="BlockNumber">The block, or null while pending.</param>
/// <param name="BlockHash">The block hash, or null while pending.</param>
public sealed record TransactionInfo(Hash32 Hash, Address From, ulong Nonce, ulong? BlockNumber, Hash32? BlockHash);

/// <summary>Outcome of one call in a batch: return data, or the error (revert data included).</summary>
/// <param name="ReturnData">The return data on success.</param>
/// <param name="Error">The error when the call failed.</param>
public sealed record CallResult(byte[]? ReturnData, JsonRpcException? Error)
{
    /// <summary>True when the call succeeded.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The return data or the call's exception.</summary>
    public byte[] GetOrThrow() => Error is null ? ReturnData! : throw Error;
}
