// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title TokenWord: the per-token storage of SupplyOracle, split into a cold word and a shared hot lane
/// @notice A steady-state Commit must change the factor and committedAt of every token it carries. Writing a slot of
/// its own per token costs a cold SLOAD plus an SSTORE (EIP-2929 / EIP-2200: 2,100 + 2,900 gas). Instead:
///  - the COLD word (`_word[token]`, one slot per token) holds what changes rarely; a commit reads it (2,100) and
///    writes it only on a first commit, a window roll, a frozen flag change, a new committed circulating, or an
///    epoch re-base (below);
///  - the HOT lane (64 bits) holds what changes every round: the factor and a 4-bit epoch delta. Four lanes share
///    one slot (`_lanes[index >> 2]`, lane `index & 3`, `index` assigned at listing), so a commit writes one slot
///    per four tokens (the first write of a slot in a transaction costs 2,100 + 2,900, the next ones 100 + 100);
///  - committedAt is the referenceTime of the commit (its "epoch", a counter increased by every commit) in which the
///    token was last committed: `epochTime(baseEpoch + delta)`; the epoch times are a table written once per commit
///    (EpochTimes). A Commit whose delta would exceed 15 re-bases (`baseEpoch = epoch`, delta 0), which costs one
///    cold-word write every 16th commit of a token, and any other cold-word write re-bases for free.
/// Cold word layout, least significant bit first:
///   [0, 64)    anchor      uint64, WAD, window anchor (PROTOCOL.md section 5 step 10)
///   [64, 104)  anchorAt    uint40
///   [104, 144) baseEpoch   uint40, the epoch the lane's delta counts from
///   [144, 176) index       uint32, the token's lane (assigned at listing, never reused)
///   [176, 180) flags       bit 0 listed, bit 1 initialized, bit 2 frozen, bit 3 paused
///   [216, 256) circTag     uint40 fingerprint of the committed circulating (see `circTag`)
/// Lane layout: [0, 60) factor (WAD, <= 1e18 < 2^60; 0 before the first commit), [60, 64) delta.
/// The full committed circulating (uint128) lives in `_info`, written only when its fingerprint changes.
library TokenWord {
    uint256 internal constant FLAG_LISTED = 1 << 176;
    uint256 internal constant FLAG_INITIALIZED = 1 << 177;
    uint256 internal constant FLAG_FROZEN = 1 << 178;
    uint256 internal constant FLAG_PAUSED = 1 << 179;
    uint256 internal constant INDEX_SHIFT = 144;
    uint256 internal constant BASE_SHIFT = 104;
    /// @notice Largest epoch delta a lane holds; a Commit further from its base re-bases.
    uint256 internal constant MAX_DELTA = 15;
    uint256 private constant M40 = (1 << 40) - 1;
    uint256 private constant M60 = (1 << 60) - 1;

    // Field getters truncate on purpose: each field is exactly the bits it is cast to.
    function anchor(uint256 w) internal pure returns (uint64) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(w);
    }

    function anchorAt(uint256 w) internal pure returns (uint40) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint40(w >> 64);
    }

    function baseEpoch(uint256 w) internal pure returns (uint256) {
        return (w >> BASE_SHIFT) & M40;
    }

    function index(uint256 w) internal pure returns (uint32) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint32(w >> INDEX_SHIFT);
    }

    function tag(uint256 w) internal pure returns (uint40) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint40(w >> 216);
    }

    function has(uint256 w, uint256 flag) internal pure returns (bool) {
        return w & flag != 0;
    }

    /// @notice The 64-bit lane of the token with lane `index_` inside its group slot's value `group`.
    function lane(uint256 group, uint256 index_) internal pure returns (uint256) {
        return (group >> ((index_ & 3) * 64)) & type(uint64).max;
    }

    /// @notice The factor held by a lane.
    function laneFactor(uint256 lane_) internal pure returns (uint64) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(lane_ & M60);
    }

    /// @notice The epoch of the token's last Commit: its cold word's base plus its lane's delta.
    function committedEpoch(uint256 w, uint256 lane_) internal pure returns (uint256) {
        return baseEpoch(w) + (lane_ >> 60);
    }

    /// @notice The 40-bit fingerprint of a committed circulating value: the low 40 bits of keccak256 of it (as a
    /// 32-byte word). Two different values share a fingerprint
    /// with probability 2^-40; the cost of that is a stale full value in the cold slot (the factor is unaffected),
    /// and only the signing quorum, which already decides the value, could search for one on purpose.
    function circTag(uint128 circulating) internal pure returns (uint40 t) {
        assembly ("memory-safe") {
            mstore(0x00, circulating)
            t := and(keccak256(0x00, 0x20), M40)
        }
    }
}
