// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleReads} from "./OracleReads.sol";
import {Params} from "./OracleTypes.sol";

/// @title OracleUpdates: the per-update loop of SupplyOracle.commit (PROTOCOL.md sections 5 and 6)
/// @notice In Yul because this loop is the per-token cost of a commit. Storage layout: TokenWord (a cold word per
/// token, read every commit and written rarely; a 64-bit hot lane per token, four to a slot; a table of commit times).
abstract contract OracleUpdates is OracleReads {
    /// @dev Records the referenceTime of commit `epoch` (TokenWord: committedAt = the time of the token's last
    /// Commit epoch). Four times to a slot: the first of each slot is a fresh write, the others fill it in.
    function _recordEpochTime(uint256 epoch, uint64 referenceTime) internal {
        uint256 shifted = uint256(referenceTime) << ((epoch & 3) * 64);
        if (epoch & 3 == 0) _epochTimes[epoch >> 2] = shifted;
        else _epochTimes[epoch >> 2] |= shifted;
    }

    /// @dev Applies every update (PROTOCOL.md section 6, "per update, defensively re-checks what it can") of commit
    /// number `epoch`. For each 45-byte entry:
    ///  - token not strictly above the previous entry's token -> Rejected OUT_OF_ORDER (duplicates included);
    ///  - not listed -> NOT_LISTED; paused -> TOKEN_PAUSED;
    ///  - Commit (status 0): factor in [1, 1e18] else FACTOR_OUT_OF_RANGE; circulating > 0 else ZERO_CIRCULATING;
    ///    never initialized -> store factor, anchor = factor, committedAt = anchorAt = t (section 5 step 7);
    ///    t < committedAt + minCommitInterval -> TOO_SOON (step 8); the anchor rolls to prev when
    ///    t >= anchorAt + window (step 10); the factor must be one the clamps of steps 9-11 can produce from the stored
    ///    state for some target: the step clamp's image [prev - step, prev + step], mapped by the window clamp to its
    ///    intersection with [anchor - wstep, anchor + wstep] (or that interval's nearest bound when they are
    ///    disjoint), then clamped to [1, 1e18]; outside it -> STEP_CLAMP when outside the step range, else
    ///    WINDOW_CLAMP; a Commit clears `frozen`;
    ///  - FrozenDivergence / FrozenSupply (1, 2): the token must be initialized (NOT_INITIALIZED) and the entry must
    ///    carry the stored factor and committed circulating (FROZEN_MISMATCH); sets `frozen`, emits Frozen;
    ///  - any other status -> UNKNOWN_STATUS.
    /// The lane slot of the current group is kept on the stack and written back once when the loop moves to another
    /// group (and at the end), so tokens listed next to each other share one SSTORE. `t` < 2^40 (t <= block.timestamp)
    /// and every value is below 2^72 in 256-bit words: no overflow.
    function _applyUpdates(
        uint64 round,
        uint64 referenceTime,
        uint256 epoch,
        bytes calldata updates,
        Params memory p,
        bytes32 rejectedTopic,
        bytes32 frozenTopic
    ) internal returns (uint256 committed, uint256 frozen) {
        uint256 minInterval = p.minCommitInterval;
        uint256 maxDelta = p.maxFactorDeltaBps;
        uint256 window = p.window;
        uint256 maxWindowDelta = p.maxWindowDeltaBps;
        assembly ("memory-safe") {
            // What the loop needs once per token or less lives in memory above the free pointer (not kept), so the
            // stack holds the cursor and the caches; TokenWord gives the bit positions used below:
            // flags at 176 (listed), 177 (initialized), 178 (frozen), 179 (paused); index [144, 176),
            // baseEpoch [104, 144), anchorAt [64, 104), anchor [0, 64), circTag [216, 256).
            let mem := mload(0x40)
            mstore(mem, minInterval)
            mstore(add(mem, 0x20), maxDelta)
            // step 10 rolls the anchor when t >= anchorAt + window, i.e. anchorAt < rollBound (never when t < window)
            let rollBound := 0
            if iszero(lt(referenceTime, window)) { rollBound := add(sub(referenceTime, window), 1) }
            mstore(add(mem, 0x40), rollBound)
            mstore(add(mem, 0x60), maxWindowDelta)
            mstore(add(mem, 0x80), 0) // frozen entries applied
            mstore(add(mem, 0xa0), 0) // entries rejected
            mstore(add(mem, 0xc0), not(0)) // the epoch whose referenceTime + minCommitInterval is cached at 0xe0
            mstore(add(mem, 0x100), round)
            mstore(add(mem, 0x120), rejectedTopic)
            mstore(add(mem, 0x140), frozenTopic)
            mstore(add(mem, 0x160), 0) // the slot of the lane group held on the stack (0: none)

            function reject(m, token, reason) {
                mstore(add(m, 0xa0), add(mload(add(m, 0xa0)), 1))
                mstore(0x00, reason)
                log3(0x00, 0x20, mload(add(m, 0x120)), token, mload(add(m, 0x100)))
            }

            function storeWord(token, w) {
                mstore(0x00, token)
                mstore(0x20, _word.slot)
                sstore(keccak256(0x00, 0x40), w)
            }

            // The full circulating goes to the cold slot (TokenInfo.committedCirculating, low 128 bits) only on a
            // first commit or when its fingerprint changes.
            function storeCirculating(token, circ) {
                mstore(0x00, token)
                mstore(0x20, _info.slot)
                let islot := keccak256(0x00, 0x40)
                sstore(islot, or(and(sload(islot), not(0xffffffffffffffffffffffffffffffff)), circ))
            }

            // Steps 9-11 of section 5 when the quick check failed: 0 when the clamps can produce `f` from
            // (prev, anchor), else the reject reason. The step clamp's image [lo1, hi1] is mapped by the window
            // clamp to its intersection with [lo2, hi2], or that interval's nearest bound when they are disjoint,
            // then clamped to [1, 1e18] (which never moves a bound here: lo1, lo2 <= 1e18 and hi1, hi2 >= 1, and
            // f is in [1, 1e18]); outside it -> STEP_CLAMP (9) when outside the step range, else WINDOW_CLAMP (10).
            function clampReason(f, lo1, hi1, lo2, hi2) -> r {
                let lo := lo1
                let hi := hi1
                switch lt(hi1, lo2)
                case 1 { lo := lo2 hi := lo2 }
                default {
                    switch gt(lo1, hi2)
                    case 1 { lo := hi2 hi := hi2 }
                    default {
                        if gt(lo2, lo) { lo := lo2 }
                        if lt(hi2, hi) { hi := hi2 }
                    }
                }
                if or(lt(f, lo), gt(f, hi)) {
                    r := 10 // WINDOW_CLAMP
                    if or(lt(f, lo1), gt(f, hi1)) { r := 9 } // STEP_CLAMP
                }
            }

            let cursor := updates.offset
            let end := add(cursor, updates.length)
            let previous := 0
            let t := referenceTime
            let group := not(0) // the lane group whose slot value `lanes` holds
            let lanes := 0
            for {} lt(cursor, end) { cursor := add(cursor, 45) } {
                let token := shr(96, calldataload(cursor))
                let tail := calldataload(add(cursor, 20)) // circulating 16 | factor 8 | status 1 | next entry
                let circ := shr(128, tail)
                let f := and(shr(64, tail), 0xffffffffffffffff)
                let status := and(shr(56, tail), 0xff)
                // One pass of this block applies an entry or rejects it; `break` ends it.
                for {} 1 {} {
                    if iszero(gt(token, previous)) { reject(mem, token, 2) break } // OUT_OF_ORDER
                    previous := token
                    // _word[token] (Solidity mapping layout): keccak256(token . slot)
                    mstore(0x00, token)
                    mstore(0x20, _word.slot)
                    let w := sload(keccak256(0x00, 0x40))
                    if iszero(and(w, shl(176, 1))) { reject(mem, token, 0) break } // NOT_LISTED
                    if and(w, shl(179, 1)) { reject(mem, token, 1) break } // TOKEN_PAUSED
                    // The token's lane: _lanes[index >> 2], bits (index & 3) * 64. Another group writes the one held
                    // back first (a group without an applied Commit costs a warm no-op SSTORE).
                    let index := and(shr(144, w), 0xffffffff)
                    if iszero(eq(shr(2, index), group)) {
                        let held := mload(add(mem, 0x160))
                        if held { sstore(held, lanes) }
                        group := shr(2, index)
                        mstore(0x00, group)
                        mstore(0x20, _lanes.slot)
                        held := keccak256(0x00, 0x40)
                        mstore(add(mem, 0x160), held)
                        lanes := sload(held)
                    }
                    let shift := shl(6, and(index, 3))
                    let old := and(shr(shift, lanes), 0xffffffffffffffff)
                    mstore(0x00, circ) // circTag, see TokenWord.circTag
                    let tag := and(keccak256(0x00, 0x20), 0xffffffffff)
                    if status {
                        if gt(status, 2) { reject(mem, token, 3) break } // UNKNOWN_STATUS
                        if iszero(and(w, shl(177, 1))) { reject(mem, token, 6) break } // NOT_INITIALIZED
                        // FROZEN_MISMATCH unless the entry carries the stored factor and committed circulating
                        if or(iszero(eq(f, and(old, 0xfffffffffffffff))), iszero(eq(tag, shr(216, w)))) {
                            reject(mem, token, 7)
                            break
                        }
                        if iszero(and(w, shl(178, 1))) { storeWord(token, or(w, shl(178, 1))) }
                        mstore(add(mem, 0x80), add(mload(add(mem, 0x80)), 1))
                        mstore(0x00, status)
                        log3(0x00, 0x20, mload(add(mem, 0x140)), token, mload(add(mem, 0x100)))
                        break
                    }
                    if or(iszero(f), gt(f, 1000000000000000000)) { reject(mem, token, 4) break } // FACTOR_OUT_OF_RANGE
                    if iszero(circ) { reject(mem, token, 5) break } // ZERO_CIRCULATING
                    let delta := 0
                    switch and(w, shl(177, 1))
                    case 0 { // step 7: first commit, anchor = factor, anchorAt = t, baseEpoch = this epoch
                        storeWord(
                            token,
                            or(or(or(f, shl(64, t)), shl(104, epoch)), or(shl(216, tag), or(w, shl(177, 1))))
                        )
                        storeCirculating(token, circ)
                    }
                    default {
                        let base := and(shr(104, w), 0xffffffffff)
                        let at := add(base, shr(60, old)) // the epoch of the token's last Commit
                        if iszero(eq(at, mload(add(mem, 0xc0)))) {
                            mstore(add(mem, 0xc0), at)
                            mstore(0x00, shr(2, at))
                            mstore(0x20, _epochTimes.slot)
                            let time := and(shr(shl(6, and(at, 3)), sload(keccak256(0x00, 0x40))), 0xffffffffffffffff)
                            mstore(add(mem, 0xe0), add(time, mload(mem)))
                        }
                        if lt(t, mload(add(mem, 0xe0))) { reject(mem, token, 8) break } // step 8: TOO_SOON
                        let prev := and(old, 0xfffffffffffffff)
                        let anchor := and(w, 0xffffffffffffffff)
                        // step 10: once the window has elapsed the anchor moves to prev (anchorAt to t, below)
                        let rolled := lt(and(shr(64, w), 0xffffffffff), mload(add(mem, 0x40)))
                        if rolled { anchor := prev }
                        let step := div(mul(prev, mload(add(mem, 0x20))), 10000) // step 9
                        let wstep := div(mul(anchor, mload(add(mem, 0x60))), 10000)
                        // Quick check: inside both ranges (the usual case) is always accepted.
                        if or(or(lt(f, sub(prev, step)), gt(f, add(prev, step))), or(lt(f, sub(anchor, wstep)), gt(f, add(anchor, wstep)))) {
                            let r := clampReason(f, sub(prev, step), add(prev, step), sub(anchor, wstep), add(anchor, wstep))
                            if r { reject(mem, token, r) break }
                        }
                        // The lane's delta counts from baseEpoch; the cold word is written only when something in it
                        // changes (anchor roll, frozen cleared, new circulating) or the delta would exceed
                        // TokenWord.MAX_DELTA, and every such write re-bases.
                        delta := sub(epoch, base)
                        let tagChanged := iszero(eq(tag, shr(216, w)))
                        if or(or(rolled, tagChanged), or(gt(delta, 15), and(w, shl(178, 1)))) {
                            delta := 0
                            let next := and(w, not(or(shl(178, 1), shl(104, 0xffffffffff)))) // frozen and base cleared
                            next := or(next, shl(104, epoch))
                            if rolled { next := or(and(next, not(0xffffffffffffffffffffffffff)), or(prev, shl(64, t))) }
                            if tagChanged {
                                next := or(and(next, 0xffffffffffffffffffffffffffffffffffffffffffffffffffffff), shl(216, tag))
                                storeCirculating(token, circ)
                            }
                            storeWord(token, next)
                        }
                    }
                    lanes := or(and(lanes, not(shl(shift, 0xffffffffffffffff))), shl(shift, or(f, shl(60, delta))))
                    break
                }
            }
            let held := mload(add(mem, 0x160))
            if held { sstore(held, lanes) }
            frozen := mload(add(mem, 0x80))
            committed := sub(sub(div(updates.length, 45), frozen), mload(add(mem, 0xa0)))
        }
    }
}
