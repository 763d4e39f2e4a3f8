// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ISupplyOracle: what a consumer (index vault, methodology contract) reads
/// @notice PROTOCOL.md section 9. Factors are WAD (1e18 = 1.0) in [1, 1e18]; times are unix seconds (the reference
/// time of the data, never the time the commit transaction was sent).
interface ISupplyOracle {
    /// @notice Reads revert with this while the oracle or the token is paused (PROTOCOL.md section 9).
    error Paused();
    /// @notice The token has never had a factor committed (PROTOCOL.md section 9).
    error NotInitialized(address token);
    /// @notice `block.timestamp > committedAt + maxCommitAge` (PROTOCOL.md section 9).
    error CommitTooOld(address token, uint40 committedAt, uint32 maxCommitAge);

    /// @notice The committed factor of `token`; never reverts.
    /// @return factor WAD in [1, 1e18], 0 when never committed.
    /// @return committedAt reference time of the last Commit entry, 0 when never committed.
    /// @return frozen true while the reporters dispute the token (FrozenDivergence/FrozenSupply) or it is paused:
    ///         the factor is the last undisputed one, do not rebalance on it.
    /// @return stale true when never committed or `block.timestamp > committedAt + reportStaleAfter`.
    function freeFloatFactor(address token)
        external
        view
        returns (uint64 factor, uint40 committedAt, bool frozen, bool stale);

    /// @notice Free-float supply in whole tokens from the live circulating supply of the registry:
    /// `floor(floor(liveCirculating / 10**decimals) * factor / 1e18)` (PROTOCOL.md section 9).
    function getFreeFloatSupply(address token) external view returns (uint256);

    /// @notice Free-float supply in native units fixed at the round's reference block:
    /// `committedCirculating * factor / 1e18`; a flash loan in the reading transaction cannot move it.
    function committedFreeFloatSupply(address token) external view returns (uint256);
}
