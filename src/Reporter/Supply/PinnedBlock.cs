using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Reporter.Supply;

/// <summary>
/// The reference block <c>B_r</c> of a round (docs/protocol.md section 3): its number, hash and timestamp. Every chain read
/// for the round is pinned to <see cref="Hash"/> (EIP-1898 <c>{blockHash, requireCanonical: true}</c>), so a reorg
/// during the read fails instead of silently mixing two blocks.
/// </summary>
/// <param name="Number">The block number <c>B_r</c>.</param>
/// <param name="Hash">The block hash: the signed <c>referenceHash</c>.</param>
/// <param name="Timestamp">The block timestamp (unix seconds): the signed <c>referenceTime</c>.</param>
public readonly record struct PinnedBlock(ulong Number, Hash32 Hash, ulong Timestamp);
