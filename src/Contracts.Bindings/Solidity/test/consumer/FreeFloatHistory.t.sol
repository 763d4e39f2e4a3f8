// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm} from "../util/Vm.sol";
import {FreeFloatHistory} from "../../src/consumer/FreeFloatHistory.sol";
import {ISupplyOracle} from "../../src/ISupplyOracle.sol";

/// @notice The history against the real oracle: one point per commit, read from the oracle; the time-weighted average
/// equal to a brute-force integral over the recorded points; refusals when it cannot cover the window.
contract FreeFloatHistoryTest is OracleFixture {
    FreeFloatHistory internal history;

    function setUp() public override {
        super.setUp();
        history = new FreeFloatHistory(ISupplyOracle(address(oracle)), 64);
    }

    /// @dev Commits token 0 at `circulating` (factor 0.5) after `dt` seconds; returns its reference time.
    function _commit(uint256 dt, uint128 circulating) internal returns (uint256 refTime) {
        (, uint64 t) = commitNext(dt, upd(tok(0), circulating, 0.5e18, 0), 3);
        return t;
    }

    function test_poke_recordsEachCommitOnce() public {
        uint256 t0 = _commit(0, 1000e18);
        vm.prank(address(0xBEEF)); // anyone: the contract reads the oracle itself, the caller supplies only the token
        assertTrue(history.poke(tok(0)), "first poke records");
        assertTrue(!history.poke(tok(0)), "same commit: not again");
        (uint40 time, uint256 supply, uint256 count) = history.latest(tok(0));
        assertEq(time, t0, "reference time of the commit");
        assertEq(supply, 500e18, "committed free-float supply");
        assertEq(count, 1, "one point");
        commitNext(3600, upd(tok(0), 1000e18, 0.5e18, 1), 3); // FrozenDivergence: committedAt unchanged
        assertTrue(!history.poke(tok(0)), "a frozen entry is not a commit");
        uint256 t1 = _commit(3600, 3000e18);
        assertTrue(history.poke(tok(0)), "new commit");
        (time, supply, count) = history.latest(tok(0));
        assertEq(time, t1, "time");
        assertEq(supply, 1500e18, "supply");
        assertEq(count, 2, "two points");
    }

    function test_poke_unservedToken_revertsWithTheOracleError() public {
        vm.expectRevert(abi.encodeWithSelector(ISupplyOracle.NotInitialized.selector, tok(1)));
        history.poke(tok(1));
        _commit(0, 1000e18);
        vm.prank(guardian);
        oracle.pauseToken(tok(0));
        vm.expectRevert(ISupplyOracle.Paused.selector);
        history.poke(tok(0));
    }

    function test_pokeMany_skipsUnservedTokens() public {
        commitNext(0, bytes.concat(upd(tok(0), 1000e18, 0.5e18, 0), upd(tok(1), 1000e18, 0.5e18, 0)), 3);
        vm.prank(guardian);
        oracle.pauseToken(tok(1));
        address[] memory all = new address[](3);
        (all[0], all[1], all[2]) = (tok(0), tok(1), tok(2));
        assertEq(history.pokeMany(all), 1, "only token 0 is served");
        assertEq(history.pokeMany(all), 0, "nothing new");
    }

    function test_average_stepFunction() public {
        uint256 t0 = _commit(0, 1000e18); // 500 from t0
        history.poke(tok(0));
        _commit(10 days, 2000e18); // 1000 from t0 + 10 days
        history.poke(tok(0));
        _commit(10 days, 400e18); // 200 from t0 + 20 days
        history.poke(tok(0));
        vm.warp(t0 + 25 days);
        // [t0 + 5d, t0 + 25d]: 500 * 5d + 1000 * 10d + 200 * 5d = 13500 token-days over 20 days
        assertEq(history.averageSupply(tok(0), 20 days), 675e18, "time-weighted");
        assertEq(history.averageSupply(tok(0), 25 days), (500e18 * 10 + 1000e18 * 10 + 200e18 * 5) / 25, "whole history");
        vm.expectRevert(abi.encodeWithSelector(FreeFloatHistory.HistoryTooShort.selector, tok(0), t0, t0 - 5 days));
        history.averageSupply(tok(0)); // 30 days by default
    }

    function test_average_oracleCommittedSinceTheLastPoke_reverts() public {
        uint256 t0 = _commit(0, 1000e18);
        history.poke(tok(0));
        uint256 t1 = _commit(1 hours, 1200e18);
        vm.expectRevert(abi.encodeWithSelector(FreeFloatHistory.HistoryBehind.selector, tok(0), t0, t1));
        history.averageSupply(tok(0), 1 hours);
    }

    function test_average_noHistoryOrZeroWindow_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(FreeFloatHistory.NoHistory.selector, tok(0)));
        history.averageSupply(tok(0), 1 hours);
        vm.expectRevert(FreeFloatHistory.ZeroWindow.selector);
        history.averageSupply(tok(0), 0);
    }

    function test_ring_overwritesTheOldestPoint() public {
        FreeFloatHistory small = new FreeFloatHistory(ISupplyOracle(address(oracle)), 3);
        uint256[5] memory t;
        for (uint256 k; k < 5; ++k) {
            t[k] = _commit(k == 0 ? 0 : 1 days, uint128(1000e18 * (k + 1)));
            small.poke(tok(0));
        }
        assertEq(small.oldestTime(tok(0)), t[2], "two points overwritten");
        (,, uint256 count) = small.latest(tok(0));
        assertEq(count, 5, "count keeps growing");
        // [t2, t4]: 1500 for a day, 2000 for a day
        assertEq(small.averageSupply(tok(0), 2 days), 1750e18, "from the oldest kept point");
        vm.expectRevert(abi.encodeWithSelector(FreeFloatHistory.HistoryTooShort.selector, tok(0), t[2], t[2] - 1));
        small.averageSupply(tok(0), 2 days + 1);
    }

    function test_constructor_capacityBelowTwo_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(FreeFloatHistory.CapacityTooSmall.selector, uint256(1)));
        new FreeFloatHistory(ISupplyOracle(address(oracle)), 1);
    }

    /// @notice The average equals the brute-force integral of the recorded points, for random commit times, supplies,
    /// windows and read times, in a history that keeps everything and in one that keeps the last three points.
    function testFuzz_average_equalsBruteForce(uint256 seed, uint256 nRaw, uint256 windowRaw, uint256 tailRaw) public {
        FreeFloatHistory small = new FreeFloatHistory(ISupplyOracle(address(oracle)), 3);
        uint256 n = 2 + nRaw % 9;
        uint256[] memory times = new uint256[](n);
        uint256[] memory supplies = new uint256[](n);
        for (uint256 k; k < n; ++k) {
            uint256 dt = k == 0 ? 0 : 1 hours + uint256(keccak256(abi.encode(seed, k, "dt"))) % 5 days;
            uint128 circulating = uint128(1 + uint256(keccak256(abi.encode(seed, k, "c"))) % 1e30);
            times[k] = _commit(dt, circulating);
            supplies[k] = uint256(circulating) * 0.5e18 / 1e18;
            history.poke(tok(0));
            small.poke(tok(0));
        }
        vm.warp(clock + tailRaw % 2 days);
        uint256 end = block.timestamp;
        uint256 window = 1 + windowRaw % (end - times[0]);
        uint256 expected = _bruteForce(times, supplies, end - window, end) / window;
        assertEq(history.averageSupply(tok(0), window), expected, "average = brute force");
        uint256 oldestKept = times[n > 3 ? n - 3 : 0];
        if (end - window >= oldestKept) {
            assertEq(small.averageSupply(tok(0), window), expected, "ring of three = brute force");
        } else {
            vm.expectRevert(abi.encodeWithSelector(FreeFloatHistory.HistoryTooShort.selector, tok(0), oldestKept, end - window));
            small.averageSupply(tok(0), window);
        }
        uint256 tooLong = end - times[0] + 1;
        vm.expectRevert(abi.encodeWithSelector(FreeFloatHistory.HistoryTooShort.selector, tok(0), times[0], end - tooLong));
        history.averageSupply(tok(0), tooLong);
    }

    /// @dev Sum over the points of supply * (seconds of [start, end) in which it was the committed supply).
    function _bruteForce(uint256[] memory times, uint256[] memory supplies, uint256 start, uint256 end)
        internal
        pure
        returns (uint256 integral)
    {
        for (uint256 k; k < times.length; ++k) {
            uint256 from = times[k] > start ? times[k] : start;
            uint256 to = k + 1 < times.length ? times[k + 1] : end;
            if (to > end) to = end;
            if (to > from) integral += supplies[k] * (to - from);
        }
    }
}
