// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title TokenWord: the per-token hot storage slot of SupplyOracle
/// @notice Everything a steady-state update reads and writes sits in ONE 256-bit word, so a commit costs one cold
/// SLOAD plus one SSTORE per token (EIP-2929 / EIP-2200: 2100 + 2900 gas). Layout, least significant bit first:
///   [0, 64)    factor       uint64, WAD, the committed (prev) factor
///   [64, 104)  committedAt  uint40, reference time of the last Commit
///   [104, 168) anchor       uint64, WAD, window anchor (PROTOCOL.md section 5 step 10)
///   [168, 208) anchorAt     uint40
///   [208, 216) flags        bit 0 listed, bit 1 initialized, bit 2 frozen, bit 3 paused
///   [216, 256) circTag      uint40 fingerprint of the committed circulating (see `circTag`)
/// The full committed circulating (uint128) lives in a second slot that is written only when its fingerprint
/// changes, so a steady-state update (same supply) does not touch it.
library TokenWord {
    uint256 internal constant FLAG_LISTED = 1 << 208;
    uint256 internal constant FLAG_INITIALIZED = 1 << 209;
    uint256 internal constant FLAG_FROZEN = 1 << 210;
    uint256 internal constant FLAG_PAUSED = 1 << 211;
    uint256 private constant M40 = (1 << 40) - 1;

    // Field getters truncate on purpose: each field is exactly the bits it is cast to.
    function factor(uint256 w) internal pure returns (uint64) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(w);
    }

    function committedAt(uint256 w) internal pure returns (uint40) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint40(w >> 64);
    }

    function anchor(uint256 w) internal pure returns (uint64) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint64(w >> 104);
    }

    function anchorAt(uint256 w) internal pure returns (uint40) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint40(w >> 168);
    }

    function tag(uint256 w) internal pure returns (uint40) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint40(w >> 216);
    }

    function has(uint256 w, uint256 flag) internal pure returns (bool) {
        return w & flag != 0;
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
