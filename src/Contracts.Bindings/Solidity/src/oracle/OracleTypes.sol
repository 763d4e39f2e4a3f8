// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice On-chain parameters, PROTOCOL.md section 8. The first ten fields fill the first storage slot (232 bits),
/// which is all `commit` reads; heartbeat and supplyDeviationBps (the commit policy of section 5 step 12, applied
/// off-chain by the rules engine) live in the second slot, so the policy costs a commit no extra cold SLOAD.
struct Params {
    uint32 roundBlocks; // > 0; round r has reference block r * roundBlocks
    uint8 minReporters; // 1 ..= reporter count
    uint16 divergenceToleranceBps; // ..= 10_000 (used off-chain by the rules, stored for all to read)
    uint32 minCommitInterval; // seconds, > 0
    uint16 maxFactorDeltaBps; // 1 ..= 10_000
    uint32 window; // seconds, > 0
    uint16 maxWindowDeltaBps; // 1 ..= 10_000
    uint32 reportStaleAfter; // seconds; informational `stale` flag on reads
    uint32 maxCommitAge; // seconds, >= reportStaleAfter; supply reads revert past it
    uint16 maxReportAgeBlocks; // 1 ..= 256 (the BLOCKHASH horizon)
    uint32 heartbeat; // seconds, minCommitInterval ..= reportStaleAfter / 2; an unchanged token is re-committed this often
    uint16 supplyDeviationBps; // ..= 10_000; a circulating change beyond this (vs the committed value) commits at once
}

/// @notice Status byte of a Report update, PROTOCOL.md section 7.
library UpdateStatus {
    uint8 internal constant COMMIT = 0;
    uint8 internal constant FROZEN_DIVERGENCE = 1;
    uint8 internal constant FROZEN_SUPPLY = 2;
}

/// @notice Why `commit` skipped one update (the `reason` of `Rejected(token, round, reason)`), PROTOCOL.md section 6.
/// The values are part of the ABI: never renumber, only append.
library RejectReason {
    uint8 internal constant NOT_LISTED = 0; // token not listed in the oracle
    uint8 internal constant TOKEN_PAUSED = 1; // token paused by the guardian
    uint8 internal constant OUT_OF_ORDER = 2; // token not strictly above the previous update's token
    uint8 internal constant UNKNOWN_STATUS = 3; // status byte not 0, 1 or 2
    uint8 internal constant FACTOR_OUT_OF_RANGE = 4; // Commit factor outside [1, 1e18]
    uint8 internal constant ZERO_CIRCULATING = 5; // Commit with circulating 0
    uint8 internal constant NOT_INITIALIZED = 6; // Frozen entry for a token never committed (nothing to freeze)
    uint8 internal constant FROZEN_MISMATCH = 7; // Frozen entry whose factor or circulating differs from stored state
    uint8 internal constant TOO_SOON = 8; // referenceTime < committedAt + minCommitInterval (section 5 step 8)
    uint8 internal constant STEP_CLAMP = 9; // factor beyond prev +- floor(prev * maxFactorDeltaBps / 1e4) (step 9)
    uint8 internal constant WINDOW_CLAMP = 10; // factor beyond anchor +- floor(anchor * maxWindowDeltaBps / 1e4) (step 10)
}

/// @notice Everything the off-chain rules engine needs about one token, in one read (PROTOCOL.md section 5 inputs).
struct TokenView {
    bool listed;
    bool initialized;
    bool frozen;
    bool paused;
    uint8 decimals;
    uint64 factor; // prev
    uint40 committedAt;
    uint64 anchor;
    uint40 anchorAt;
    uint128 committedCirculating;
}
