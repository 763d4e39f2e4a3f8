// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm, Vm} from "../util/Vm.sol";
import {SupplyOracle} from "../../src/SupplyOracle.sol";
import {Params, TokenView, RejectReason, UpdateStatus} from "../../src/oracle/OracleTypes.sol";

/// @notice Per-update re-checks of `commit`, PROTOCOL.md sections 5 (steps 7-11) and 6.
contract SupplyOracleUpdatesTest is OracleFixture {
    uint128 internal constant CIRC = 500_000e18;

    function _expectRejected(address token, uint8 reason) internal {
        vm.expectEmit(true, true, false, true, address(oracle));
        emit SupplyOracle.Rejected(token, round + 1, reason);
    }

    function _first(uint64 factor) internal returns (uint64 t) {
        (, t) = commitNext(0, upd(tok(0), CIRC, factor, 0), 3);
    }

    function test_commit_firstCommit_setsAnchorToTarget() public {
        uint64 t = _first(0.4e18);
        TokenView memory v = oracle.tokenState(tok(0));
        assertEq(v.factor, 0.4e18, "factor");
        assertEq(v.anchor, 0.4e18, "anchor = target");
        assertEq(v.anchorAt, t, "anchorAt = now");
        assertEq(v.committedAt, t, "committedAt = referenceTime");
    }

    function test_commit_firstCommitIgnoresClamps_anyFactorInRange() public {
        _first(1);
        assertEq(oracle.tokenState(tok(0)).factor, 1, "smallest factor");
    }

    function test_commit_withinCooldown_rejectedTooSoon() public {
        _first(0.8e18);
        _expectRejected(tok(0), RejectReason.TOO_SOON);
        commitNext(1 hours - 1, upd(tok(0), CIRC, 0.8e18, 0), 3);
        assertEq(oracle.tokenState(tok(0)).committedAt, uint64(clock - (1 hours - 1)), "unchanged");
    }

    function test_commit_cooldownExactlyElapsed_accepted() public {
        _first(0.8e18);
        (, uint64 t) = commitNext(1 hours, upd(tok(0), CIRC, 0.85e18, 0), 3);
        assertEq(oracle.tokenState(tok(0)).committedAt, t, "committed");
    }

    function test_commit_stepClampBounds_acceptedAtBoundRejectedBeyond() public {
        _first(0.8e18); // step = floor(0.8e18 * 1000 / 10000) = 0.08e18
        _expectRejected(tok(0), RejectReason.STEP_CLAMP);
        commitNext(1 hours, upd(tok(0), CIRC, 0.88e18 + 1, 0), 3);
        commitNext(0, upd(tok(0), CIRC, 0.88e18, 0), 3);
        assertEq(oracle.tokenState(tok(0)).factor, 0.88e18, "upper bound accepted");
        // step = floor(0.88e18 / 10) = 0.088e18: lower bound 0.792e18
        _expectRejected(tok(0), RejectReason.STEP_CLAMP);
        commitNext(1 hours, upd(tok(0), CIRC, 0.792e18 - 1, 0), 3);
        commitNext(0, upd(tok(0), CIRC, 0.792e18, 0), 3);
        assertEq(oracle.tokenState(tok(0)).factor, 0.792e18, "lower bound accepted");
    }

    function test_commit_windowClamp_limitsCumulativeMoveUntilWindowRolls() public {
        _first(0.5e18); // anchor 0.5e18, wstep = 0.125e18: window [0.375e18, 0.625e18]
        commitNext(1 hours, upd(tok(0), CIRC, 0.55e18, 0), 3);
        commitNext(1 hours, upd(tok(0), CIRC, 0.605e18, 0), 3);
        // step allows up to 0.6655e18, the window only 0.625e18
        _expectRejected(tok(0), RejectReason.WINDOW_CLAMP);
        commitNext(1 hours, upd(tok(0), CIRC, 0.625e18 + 1, 0), 3);
        commitNext(0, upd(tok(0), CIRC, 0.625e18, 0), 3);
        TokenView memory v = oracle.tokenState(tok(0));
        assertEq(v.anchor, 0.5e18, "anchor unchanged inside the window");
        // After a day from anchorAt the anchor rolls to prev (0.625e18) and anchorAt to now.
        uint64 anchoredAt = v.anchorAt;
        (, uint64 t) = commitNext(1 days, upd(tok(0), CIRC, 0.68e18, 0), 3);
        v = oracle.tokenState(tok(0));
        assertEq(v.anchor, 0.625e18, "anchor = prev");
        assertEq(v.anchorAt, t, "anchorAt = now");
        assertTrue(t >= anchoredAt + 1 days, "rolled after the window");
    }

    function test_commit_windowAndStepDisjoint_onlyNearestWindowBoundAccepted() public {
        _first(0.5e18);
        commitNext(1 hours, upd(tok(0), CIRC, 0.55e18, 0), 3);
        commitNext(1 hours, upd(tok(0), CIRC, 0.6e18, 0), 3);
        // Governance narrows the window to 1%: [0.495e18, 0.505e18]; the step range [0.54e18, 0.66e18] is disjoint,
        // so the rules' window clamp yields exactly 0.505e18 whatever the target.
        vm.startPrank(owner);
        oracle.setParams(_withWindowBps(100));
        vm.stopPrank();
        _expectRejected(tok(0), RejectReason.WINDOW_CLAMP);
        commitNext(1 hours, upd(tok(0), CIRC, 0.6e18, 0), 3);
        commitNext(0, upd(tok(0), CIRC, 0.505e18, 0), 3);
        assertEq(oracle.tokenState(tok(0)).factor, 0.505e18, "nearest window bound");
    }

    function _withWindowBps(uint16 bps) internal pure returns (Params memory p) {
        p = params();
        p.maxWindowDeltaBps = bps;
    }

    function test_commit_factorOutOfRange_rejected() public {
        _expectRejected(tok(0), RejectReason.FACTOR_OUT_OF_RANGE);
        commitNext(0, upd(tok(0), CIRC, 0, 0), 3);
        _expectRejected(tok(0), RejectReason.FACTOR_OUT_OF_RANGE);
        commitNext(0, upd(tok(0), CIRC, 1e18 + 1, 0), 3);
        assertTrue(!oracle.tokenState(tok(0)).initialized, "nothing stored");
    }

    function test_commit_zeroCirculating_rejected() public {
        _expectRejected(tok(0), RejectReason.ZERO_CIRCULATING);
        commitNext(0, upd(tok(0), 0, 0.5e18, 0), 3);
    }

    function test_commit_unlistedToken_rejected() public {
        address stranger = address(0xBEEF);
        _expectRejected(stranger, RejectReason.NOT_LISTED);
        commitNext(0, upd(stranger, CIRC, 0.5e18, 0), 3);
    }

    function test_commit_pausedToken_rejectedOthersCommitted() public {
        vm.prank(guardian);
        oracle.pauseToken(tok(1));
        bytes memory u = bytes.concat(upd(tok(0), CIRC, 0.5e18, 0), upd(tok(1), CIRC, 0.5e18, 0));
        _expectRejected(tok(1), RejectReason.TOKEN_PAUSED);
        commitNext(0, u, 3);
        assertTrue(oracle.tokenState(tok(0)).initialized, "token 0 committed");
        assertTrue(!oracle.tokenState(tok(1)).initialized, "token 1 skipped");
    }

    function test_commit_unsortedOrDuplicateTokens_laterEntryRejected() public {
        bytes memory u = bytes.concat(upd(tok(1), CIRC, 0.5e18, 0), upd(tok(0), CIRC, 0.6e18, 0), upd(tok(1), CIRC, 0.7e18, 0));
        vm.recordLogs();
        commitNext(0, u, 3);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(countLogs(logs, address(oracle), SupplyOracle.Rejected.selector), 2, "two rejected");
        assertEq(oracle.tokenState(tok(1)).factor, 0.5e18, "first entry wins");
        assertTrue(!oracle.tokenState(tok(0)).initialized, "out-of-order entry skipped");
    }

    function test_commit_unknownStatus_rejected() public {
        _first(0.5e18);
        _expectRejected(tok(0), RejectReason.UNKNOWN_STATUS);
        commitNext(1 hours, upd(tok(0), CIRC, 0.5e18, 3), 3);
    }

    function test_commit_frozenEntry_setsFrozenKeepsFactorAndTime() public {
        uint64 t = _first(0.5e18);
        vm.expectEmit(true, true, false, true, address(oracle));
        emit SupplyOracle.Frozen(tok(0), round + 1, UpdateStatus.FROZEN_DIVERGENCE);
        commitNext(10, upd(tok(0), CIRC, 0.5e18, UpdateStatus.FROZEN_DIVERGENCE), 3); // no cooldown for frozen
        TokenView memory v = oracle.tokenState(tok(0));
        assertTrue(v.frozen, "frozen");
        assertEq(v.factor, 0.5e18, "factor stays");
        assertEq(v.committedAt, t, "committedAt stays");
        (,, bool frozen,) = oracle.freeFloatFactor(tok(0));
        assertTrue(frozen, "read shows frozen");
        // A later Commit entry clears it.
        commitNext(1 hours, upd(tok(0), CIRC, 0.52e18, 0), 3);
        assertTrue(!oracle.tokenState(tok(0)).frozen, "unfrozen by commit");
    }

    function test_commit_frozenSupplyEntry_emitsStatus2() public {
        _first(0.5e18);
        vm.expectEmit(true, true, false, true, address(oracle));
        emit SupplyOracle.Frozen(tok(0), round + 1, UpdateStatus.FROZEN_SUPPLY);
        commitNext(0, upd(tok(0), CIRC, 0.5e18, UpdateStatus.FROZEN_SUPPLY), 3);
    }

    function test_commit_frozenEntryWithOtherFactorOrCirculating_rejectedMismatch() public {
        _first(0.5e18);
        _expectRejected(tok(0), RejectReason.FROZEN_MISMATCH);
        commitNext(0, upd(tok(0), CIRC, 0.51e18, 1), 3);
        _expectRejected(tok(0), RejectReason.FROZEN_MISMATCH);
        commitNext(0, upd(tok(0), CIRC + 1, 0.5e18, 2), 3);
        assertTrue(!oracle.tokenState(tok(0)).frozen, "not frozen");
    }

    function test_commit_frozenEntryForNeverCommittedToken_rejectedNotInitialized() public {
        _expectRejected(tok(0), RejectReason.NOT_INITIALIZED);
        commitNext(0, upd(tok(0), CIRC, 0.5e18, 1), 3);
    }

    function test_commit_circulatingChanges_fullValueStored() public {
        _first(0.5e18);
        commitNext(1 hours, upd(tok(0), CIRC + 12345, 0.5e18, 0), 3);
        assertEq(oracle.tokenState(tok(0)).committedCirculating, CIRC + 12345, "new circulating");
        assertEq(oracle.committedFreeFloatSupply(tok(0)), (uint256(CIRC) + 12345) / 2, "supply read");
    }

    function test_commit_olderReferenceTimeThanStored_rejectedTooSoon() public {
        _first(0.5e18);
        // A later round whose reference time is before the stored commit (e.g. roundBlocks lowered) fails the cooldown.
        (uint64 r,, bytes32 h) = nextRound(2 hours);
        uint64 old = uint64(clock - 3 hours);
        bytes memory u = upd(tok(0), CIRC, 0.5e18, 0);
        vm.expectEmit(true, true, false, true, address(oracle));
        emit SupplyOracle.Rejected(tok(0), r, RejectReason.TOO_SOON);
        oracle.commit(r, old, h, u, sigs(digestOf(r, old, h, u), 3));
    }

    function test_commit_batchCounts_inCommittedEvent() public {
        _first(0.5e18);
        bytes memory u = bytes.concat(
            upd(tok(0), CIRC, 0.5e18, 1), upd(tok(1), CIRC, 0.3e18, 0), upd(tok(2), CIRC, 0, 0)
        );
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, u);
        vm.expectEmit(true, false, false, true, address(oracle));
        emit SupplyOracle.Committed(r, t, d, 1, 1, 1);
        oracle.commit(r, t, h, u, sigs(d, 3));
    }
}

/// @notice The window roll-over boundary of section 5 step 10: `now >= anchorAt + window`.
contract SupplyOracleWindowBoundaryTest is OracleFixture {
    function test_commit_exactlyAtWindowEnd_anchorRolls() public {
        (, uint64 t0) = commitNext(0, upd(tok(0), 1e24, 0.5e18, 0), 3);
        commitNext(2 hours, upd(tok(0), 1e24, 0.55e18, 0), 3);
        (, uint64 t2) = commitNext(1 days - 2 hours, upd(tok(0), 1e24, 0.6e18, 0), 3);
        assertEq(t2, t0 + 1 days, "exactly one window later");
        assertEq(oracle.tokenState(tok(0)).anchor, 0.55e18, "anchor = prev at the boundary");
        assertEq(oracle.tokenState(tok(0)).anchorAt, t2, "anchorAt = now");
    }

    function test_commit_oneSecondBeforeWindowEnd_anchorStays() public {
        (, uint64 t0) = commitNext(0, upd(tok(0), 1e24, 0.5e18, 0), 3);
        commitNext(2 hours, upd(tok(0), 1e24, 0.55e18, 0), 3);
        commitNext(1 days - 2 hours - 1, upd(tok(0), 1e24, 0.6e18, 0), 3);
        assertEq(oracle.tokenState(tok(0)).anchor, 0.5e18, "anchor unchanged");
        assertEq(oracle.tokenState(tok(0)).anchorAt, t0, "anchorAt unchanged");
    }
}
