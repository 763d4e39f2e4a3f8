// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm} from "../util/Vm.sol";
import {FreeFloatWeights} from "../../src/consumer/FreeFloatWeights.sol";
import {ISupplyOracle} from "../../src/ISupplyOracle.sol";

/// @notice The reference consumer: capped free-float market-cap weights and what to do with frozen/stale tokens.
contract FreeFloatWeightsTest is OracleFixture {
    FreeFloatWeights internal weigher;
    address[] internal ts;
    uint256[] internal prices;
    uint256[] internal current;

    function setUp() public override {
        super.setUp();
        weigher = new FreeFloatWeights(ISupplyOracle(address(oracle)));
        // Free-float supplies (native units, 18 decimals): 600, 300, 100 whole tokens; all priced 1.
        bytes memory u = bytes.concat(
            upd(tok(0), 1200e18, 0.5e18, 0), upd(tok(1), 600e18, 0.5e18, 0), upd(tok(2), 200e18, 0.5e18, 0)
        );
        commitNext(0, u, 3);
        for (uint256 i; i < 3; ++i) {
            ts.push(tok(i));
            prices.push(1e18);
            current.push(0.2e18);
        }
    }

    function test_weights_uncapped_proportionalToFreeFloatMarketCap() public view {
        (uint256[] memory w, FreeFloatWeights.Action[] memory a, bool halt) = weigher.weights(ts, prices, current, 1e18);
        assertTrue(!halt, "no halt");
        assertEq(w[0], 0.6e18, "60%");
        assertEq(w[1], 0.3e18, "30%");
        assertEq(w[2], 0.1e18, "10%");
        assertEq(uint256(a[0]), uint256(FreeFloatWeights.Action.Rebalance), "rebalance");
    }

    function test_weights_capped_excessRedistributedProportionally() public view {
        (uint256[] memory w,,) = weigher.weights(ts, prices, current, 0.5e18);
        assertEq(w[0], 0.5e18, "capped at 50%");
        assertEq(w[1], 0.375e18, "0.5 * 3/4");
        assertEq(w[2], 0.125e18, "0.5 * 1/4");
    }

    function test_weights_frozenToken_heldAtCurrentWeight() public {
        commitNext(60, upd(tok(0), 1200e18, 0.5e18, 1), 3); // FrozenDivergence
        (uint256[] memory w, FreeFloatWeights.Action[] memory a,) = weigher.weights(ts, prices, current, 1e18);
        assertEq(uint256(a[0]), uint256(FreeFloatWeights.Action.Hold), "hold");
        assertEq(w[0], 0.2e18, "kept");
        assertEq(w[1], 0.6e18, "0.8 * 3/4");
        assertEq(w[2], 0.2e18, "0.8 * 1/4");
    }

    function test_weights_staleToken_held() public {
        vm.warp(clock + 1 days + 1);
        (, FreeFloatWeights.Action[] memory a,) = weigher.weights(ts, prices, current, 1e18);
        assertEq(uint256(a[1]), uint256(FreeFloatWeights.Action.Hold), "stale -> hold");
    }

    function test_weights_unservedToken_haltsWithCurrentWeights() public {
        vm.prank(guardian);
        oracle.pauseToken(tok(2));
        (uint256[] memory w, FreeFloatWeights.Action[] memory a, bool halt) = weigher.weights(ts, prices, current, 1e18);
        assertTrue(halt, "halt");
        assertEq(uint256(a[2]), uint256(FreeFloatWeights.Action.Halt), "halt action");
        assertEq(w[0], 0.2e18, "current kept");
    }

    function test_weights_capTooLow_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(FreeFloatWeights.CapTooLow.selector, uint256(0.3e18), uint256(3), uint256(1e18)));
        weigher.weights(ts, prices, current, 0.3e18);
    }
}
