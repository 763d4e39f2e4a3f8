// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm, Vm} from "../util/Vm.sol";
import {SupplyOracle} from "../../src/SupplyOracle.sol";
import {TokenView, UpdateStatus} from "../../src/oracle/OracleTypes.sol";
import {TestToken} from "../../src/testing/TestToken.sol";

/// @notice The split storage of TokenWord: four hot lanes (factor, epoch delta) per slot by listing index, a cold
/// word per token, committedAt through the epoch table. Every assertion goes through the public views.
contract SupplyOracleLanesTest is OracleFixture {
    uint128 internal constant CIRC = 500_000e18;
    /// @dev Nine listed tokens sorted by address: the fixture's three (lanes 0-2) and six more (lanes 3-8), listed in
    /// DESCENDING address order, so address order and lane order differ and groups 0, 1 and 2 interleave.
    address[] internal all;

    function setUp() public override {
        super.setUp();
        TestToken[] memory extra = new TestToken[](6);
        for (uint256 i; i < 6; ++i) {
            extra[i] = new TestToken("Extra", "EXT", 18, address(this));
        }
        for (uint256 i = 1; i < 6; ++i) { // sort descending
            for (uint256 j = i; j > 0 && address(extra[j]) > address(extra[j - 1]); --j) {
                (extra[j], extra[j - 1]) = (extra[j - 1], extra[j]);
            }
        }
        vm.startPrank(owner);
        for (uint256 i; i < 6; ++i) {
            oracle.listToken(address(extra[i]));
        }
        vm.stopPrank();
        for (uint256 i; i < 3; ++i) {
            all.push(tok(i));
        }
        for (uint256 i; i < 6; ++i) {
            all.push(address(extra[i]));
        }
        for (uint256 i = 1; i < all.length; ++i) { // ascending, as updates must be
            for (uint256 j = i; j > 0 && all[j] < all[j - 1]; --j) {
                (all[j], all[j - 1]) = (all[j - 1], all[j]);
            }
        }
    }

    function _factor(uint256 i, uint256 k) internal pure returns (uint64) {
        // distinct per token, within the clamps of the previous one (step 10%, window 25%)
        return uint64(0.5e18 + i * 0.01e18 + (k % 2) * 0.03e18);
    }

    function _updates(uint256 k) internal view returns (bytes memory u) {
        for (uint256 i; i < all.length; ++i) {
            u = bytes.concat(u, upd(all[i], CIRC, _factor(i, k), 0));
        }
    }

    function test_lanes_allTokensInOneCommit_eachKeepsItsOwnFactorAndTime() public {
        (, uint64 t0) = commitNext(0, _updates(0), 3);
        for (uint256 k = 1; k <= 3; ++k) {
            (, uint64 t) = commitNext(1 hours, _updates(k), 3);
            for (uint256 i; i < all.length; ++i) {
                TokenView memory v = oracle.tokenState(all[i]);
                assertEq(v.factor, _factor(i, k), "factor of its own lane");
                assertEq(v.committedAt, t, "committedAt = this commit");
                assertEq(v.anchorAt, t0, "anchorAt = first commit");
                assertEq(v.committedCirculating, CIRC, "circulating");
            }
        }
    }

    function test_lanes_neighboursCommittedInDifferentCommits_eachKeepsItsOwnState() public {
        // all[0] and all[1] in different commits: whatever their lanes, neither write may touch the other.
        (, uint64 t0) = commitNext(0, upd(all[0], CIRC, 0.4e18, 0), 3);
        (, uint64 t1) = commitNext(1 hours, upd(all[1], CIRC, 0.7e18, 0), 3);
        (, uint64 t2) = commitNext(1 hours, upd(all[0], CIRC, 0.42e18, 0), 3);
        TokenView memory a = oracle.tokenState(all[0]);
        TokenView memory b = oracle.tokenState(all[1]);
        assertEq(a.factor, 0.42e18, "a factor");
        assertEq(a.committedAt, t2, "a committedAt");
        assertEq(a.anchorAt, t0, "a anchorAt");
        assertEq(b.factor, 0.7e18, "b factor untouched");
        assertEq(b.committedAt, t1, "b committedAt untouched");
        for (uint256 i = 2; i < all.length; ++i) {
            assertTrue(!oracle.tokenState(all[i]).initialized, "others untouched");
            assertEq(oracle.tokenState(all[i]).factor, 0, "others' lanes zero");
        }
    }

    function test_lanes_frozenAndRejectedMixedWithCommitted_onlyCommittedLanesMove() public {
        (, uint64 t0) = commitNext(0, _updates(0), 3);
        bytes memory u;
        for (uint256 i; i < all.length; ++i) {
            if (i % 3 == 0) u = bytes.concat(u, upd(all[i], CIRC, _factor(i, 1), 0)); // Commit
            else if (i % 3 == 1) u = bytes.concat(u, upd(all[i], CIRC, _factor(i, 0), UpdateStatus.FROZEN_SUPPLY));
            else u = bytes.concat(u, upd(all[i], CIRC, 0.9e18, 0)); // beyond the step clamp: Rejected
        }
        vm.recordLogs();
        (, uint64 t1) = commitNext(1 hours, u, 3);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(countLogs(logs, address(oracle), SupplyOracle.Frozen.selector), 3, "three frozen");
        assertEq(countLogs(logs, address(oracle), SupplyOracle.Rejected.selector), 3, "three rejected");
        for (uint256 i; i < all.length; ++i) {
            TokenView memory v = oracle.tokenState(all[i]);
            if (i % 3 == 0) {
                assertEq(v.factor, _factor(i, 1), "committed factor");
                assertEq(v.committedAt, t1, "committed time");
                assertTrue(!v.frozen, "not frozen");
            } else {
                assertEq(v.factor, _factor(i, 0), "factor stays");
                assertEq(v.committedAt, t0, "time stays");
                assertTrue(v.frozen == (i % 3 == 1), "frozen only for Frozen entries");
            }
        }
        // A Commit clears frozen and moves the time; the factor path through the lane is unchanged.
        (, uint64 t2) = commitNext(1 hours, upd(all[1], CIRC, _factor(1, 1), 0), 3);
        TokenView memory w = oracle.tokenState(all[1]);
        assertTrue(!w.frozen, "unfrozen");
        assertEq(w.committedAt, t2, "time of the unfreezing commit");
        assertEq(w.factor, _factor(1, 1), "factor");
    }

    function test_lanes_manyCommitsBeyondTheLaneDelta_committedAtStaysExact() public {
        // all[0] every commit (its delta overflows every 16th), all[1] only now and then, across 40 epochs (and
        // 10 slots of the epoch table); committedAt is checked after every commit.
        (, uint64 t0) = commitNext(0, _updates(0), 3);
        uint64 lastB = t0;
        uint64 factorB = _factor(1, 0);
        for (uint256 k = 1; k <= 40; ++k) {
            bool withB = k % 17 == 0;
            bytes memory u = upd(all[0], CIRC, _factor(0, k), 0);
            if (withB) {
                factorB = _factor(1, k);
                u = bytes.concat(u, upd(all[1], CIRC, factorB, 0));
            }
            (, uint64 t) = commitNext(1 hours + k, u, 3);
            if (withB) lastB = t;
            assertEq(oracle.tokenState(all[0]).committedAt, t, "every-commit token");
            assertEq(oracle.tokenState(all[0]).factor, _factor(0, k), "every-commit factor");
            assertEq(oracle.tokenState(all[1]).committedAt, lastB, "sometimes token");
            assertEq(oracle.tokenState(all[1]).factor, factorB, "sometimes factor");
            (uint64 f, uint40 committedAt,,) = oracle.freeFloatFactor(all[2]);
            assertEq(committedAt, t0, "never-again token keeps its first time");
            assertEq(f, _factor(2, 0), "never-again factor");
        }
    }

    function test_lanes_delistAndRelist_freshLaneNeighboursUntouched() public {
        (, uint64 t0) = commitNext(0, _updates(0), 3);
        vm.prank(owner);
        oracle.delistToken(all[4]);
        for (uint256 i; i < all.length; ++i) {
            TokenView memory v = oracle.tokenState(all[i]);
            if (i == 4) {
                assertTrue(!v.listed && !v.initialized, "delisted");
                assertEq(v.factor, 0, "no factor");
            } else {
                assertEq(v.factor, _factor(i, 0), "neighbour factor");
                assertEq(v.committedAt, t0, "neighbour time");
            }
        }
        vm.prank(owner);
        oracle.listToken(all[4]);
        TokenView memory r = oracle.tokenState(all[4]);
        assertTrue(r.listed && !r.initialized, "relisted, not initialized");
        assertEq(r.factor, 0, "fresh lane");
        // Its next entry is a first commit (any factor in range, no clamps), the others move within the clamps.
        bytes memory u;
        for (uint256 i; i < all.length; ++i) {
            u = bytes.concat(u, upd(all[i], CIRC, i == 4 ? 1e18 : _factor(i, 1), 0));
        }
        (, uint64 t1) = commitNext(1 hours, u, 3);
        r = oracle.tokenState(all[4]);
        assertEq(r.factor, 1e18, "first commit after relisting");
        assertEq(r.anchor, 1e18, "anchor = target");
        assertEq(r.committedAt, t1, "time");
        assertEq(oracle.tokenState(all[5]).factor, _factor(5, 1), "neighbour moved normally");
    }

    function test_lanes_newCirculatingAndWindowRoll_rewriteTheColdWordOnly() public {
        (, uint64 t0) = commitNext(0, _updates(0), 3);
        (, uint64 t1) = commitNext(1 hours, upd(all[3], CIRC + 1, _factor(3, 1), 0), 3);
        TokenView memory v = oracle.tokenState(all[3]);
        assertEq(v.committedCirculating, CIRC + 1, "new circulating stored");
        assertEq(v.committedAt, t1, "time");
        assertEq(v.anchorAt, t0, "no roll yet");
        (, uint64 t2) = commitNext(1 days, upd(all[3], CIRC + 1, _factor(3, 0), 0), 3);
        v = oracle.tokenState(all[3]);
        assertEq(v.anchor, _factor(3, 1), "anchor rolled to prev");
        assertEq(v.anchorAt, t2, "anchorAt = now");
        assertEq(v.committedAt, t2, "time");
        assertEq(v.factor, _factor(3, 0), "factor");
        assertEq(oracle.committedFreeFloatSupply(all[3]), uint256(CIRC + 1) * _factor(3, 0) / WAD, "supply read");
    }
}
