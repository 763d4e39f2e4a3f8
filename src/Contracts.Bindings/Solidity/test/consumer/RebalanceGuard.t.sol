// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm} from "../util/Vm.sol";
import {RebalanceGuard} from "../../src/consumer/examples/RebalanceGuard.sol";
import {ISupplyOracle} from "../../src/ISupplyOracle.sol";

/// @notice The README consumer snippet against the real oracle: fresh data passes, frozen and stale data stop it.
contract RebalanceGuardTest is OracleFixture {
    RebalanceGuard internal guard;

    function setUp() public override {
        super.setUp();
        guard = new RebalanceGuard(ISupplyOracle(address(oracle)));
        commitNext(0, bytes.concat(upd(tok(0), 1200e18, 0.5e18, 0), upd(tok(1), 600e18, 0.25e18, 0)), 3);
    }

    function test_rebalanceSupply_freshToken_isCommittedFreeFloat() public view {
        assertEq(guard.rebalanceSupply(tok(0)), 600e18, "1200 * 0.5");
        assertEq(guard.rebalanceSupply(tok(1)), 150e18, "600 * 0.25");
    }

    function test_rebalanceSupply_frozenToken_reverts() public {
        commitNext(60, upd(tok(0), 1200e18, 0.5e18, 1), 3); // FrozenDivergence
        vm.expectRevert(abi.encodeWithSelector(RebalanceGuard.DoNotRebalance.selector, tok(0), true, false));
        guard.rebalanceSupply(tok(0));
    }

    function test_rebalanceSupply_staleToken_reverts() public {
        vm.warp(clock + 1 days + 1);
        vm.expectRevert(abi.encodeWithSelector(RebalanceGuard.DoNotRebalance.selector, tok(1), false, true));
        guard.rebalanceSupply(tok(1));
    }

    function test_rebalanceSupply_neverCommitted_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(RebalanceGuard.DoNotRebalance.selector, tok(2), false, true));
        guard.rebalanceSupply(tok(2));
    }

    function test_rebalanceSupply_pausedToken_reverts() public {
        vm.prank(guardian);
        oracle.pauseToken(tok(1));
        vm.expectRevert(abi.encodeWithSelector(RebalanceGuard.DoNotRebalance.selector, tok(1), true, false));
        guard.rebalanceSupply(tok(1));
    }

    function test_rebalanceSupply_commitTooOld_revertsInTheOracle() public {
        // Past maxCommitAge the factor is stale too, so the guard stops first; the oracle's own read reverts as well.
        vm.warp(clock + 30 days + 1);
        vm.expectRevert();
        oracle.committedFreeFloatSupply(tok(0));
        vm.expectRevert(abi.encodeWithSelector(RebalanceGuard.DoNotRebalance.selector, tok(0), false, true));
        guard.rebalanceSupply(tok(0));
    }
}
