// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Params, UpdateStatus, RejectReason} from "./OracleTypes.sol";
import {TokenWord} from "./TokenWord.sol";

/// @title UpdateRules: the contract's defensive re-check of one Report update against stored state
/// @notice PROTOCOL.md section 6 ("per update, defensively re-checks what it can") applying section 5 steps 7-11.
/// The contract cannot see the reporters' median, so it accepts exactly the factors the section 5 clamps can
/// produce from the stored state for SOME target: first the step clamp around `prev`, then the window clamp around
/// the (possibly rolled) anchor, then [1, 1e18].
library UpdateRules {
    using TokenWord for uint256;

    uint256 internal constant WAD = 1e18;
    /// @notice Returned as `reason` when the update is accepted.
    uint256 internal constant OK = type(uint256).max;

    /// @notice The token word after applying one update, or the unchanged word and a RejectReason.
    /// @param w the stored TokenWord; @param circulating, factor, status the update's fields;
    /// @param t the report's referenceTime (PROTOCOL.md section 5: `now` = referenceTime).
    function apply_(uint256 w, uint128 circulating, uint64 factor, uint8 status, uint64 t, Params memory p)
        internal
        pure
        returns (uint256, uint256)
    {
        if (!w.has(TokenWord.FLAG_LISTED)) return (w, RejectReason.NOT_LISTED);
        if (w.has(TokenWord.FLAG_PAUSED)) return (w, RejectReason.TOKEN_PAUSED);
        if (status == UpdateStatus.COMMIT) return _commit(w, circulating, factor, t, p);
        if (status > UpdateStatus.FROZEN_SUPPLY) return (w, RejectReason.UNKNOWN_STATUS);
        // Section 5: a frozen token carries its unchanged prev factor and its committed circulating value.
        if (!w.has(TokenWord.FLAG_INITIALIZED)) return (w, RejectReason.NOT_INITIALIZED);
        if (factor != w.factor() || TokenWord.circTag(circulating) != w.tag()) {
            return (w, RejectReason.FROZEN_MISMATCH);
        }
        return (w | TokenWord.FLAG_FROZEN, OK);
    }

    function _commit(uint256 w, uint128 circulating, uint64 factor, uint64 t, Params memory p)
        private
        pure
        returns (uint256, uint256)
    {
        if (factor == 0 || factor > WAD) return (w, RejectReason.FACTOR_OUT_OF_RANGE);
        if (circulating == 0) return (w, RejectReason.ZERO_CIRCULATING);
        // A Commit entry clears `frozen`; `paused` is known to be clear here.
        uint256 flags = TokenWord.FLAG_LISTED | TokenWord.FLAG_INITIALIZED;
        uint40 ctag = TokenWord.circTag(circulating);
        // Step 7: first commit, next = target and the window anchor starts at it.
        // t <= block.timestamp (checked by commit), so uint40 holds it for the next 30,000 years.
        // forge-lint: disable-next-line(unsafe-typecast)
        if (!w.has(TokenWord.FLAG_INITIALIZED)) return (TokenWord.pack(factor, uint40(t), factor, uint40(t), flags, ctag), OK);

        // Step 8: cooldown against the reference time (a report older than the stored one fails it as well).
        if (uint256(t) < uint256(w.committedAt()) + p.minCommitInterval) return (w, RejectReason.TOO_SOON);

        // Step 9: step = floor(prev * maxFactorDeltaBps / 10_000); the step clamp's image is [prev - step, prev + step].
        uint256 prev = w.factor();
        uint256 step = prev * p.maxFactorDeltaBps / 10_000;
        uint256 lo1 = prev - step;
        uint256 hi1 = prev + step;
        // Step 10: the anchor rolls to prev when the window has elapsed; wstep = floor(anchor * bps / 10_000).
        uint256 anchor = w.anchor();
        uint256 anchorAt = w.anchorAt();
        if (uint256(t) >= anchorAt + p.window) {
            anchor = prev;
            anchorAt = t;
        }
        uint256 wstep = anchor * p.maxWindowDeltaBps / 10_000;
        uint256 lo2 = anchor - wstep;
        uint256 hi2 = anchor + wstep;
        // The window clamp maps [lo1, hi1] to its intersection with [lo2, hi2], or to the nearest bound of
        // [lo2, hi2] when they are disjoint; step 11 then clamps to [1, 1e18].
        uint256 lo;
        uint256 hi;
        if (hi1 < lo2) {
            (lo, hi) = (lo2, lo2);
        } else if (lo1 > hi2) {
            (lo, hi) = (hi2, hi2);
        } else {
            (lo, hi) = (lo1 > lo2 ? lo1 : lo2, hi1 < hi2 ? hi1 : hi2);
        }
        lo = lo < 1 ? 1 : (lo > WAD ? WAD : lo);
        hi = hi < 1 ? 1 : (hi > WAD ? WAD : hi);
        if (factor < lo || factor > hi) {
            return (w, (factor < lo1 || factor > hi1) ? RejectReason.STEP_CLAMP : RejectReason.WINDOW_CLAMP);
        }
        // anchor is a stored factor or prev (both uint64); anchorAt a stored uint40 or t (see above).
        // forge-lint: disable-next-line(unsafe-typecast)
        return (TokenWord.pack(factor, uint40(t), uint64(anchor), uint40(anchorAt), flags, ctag), OK);
    }
}
