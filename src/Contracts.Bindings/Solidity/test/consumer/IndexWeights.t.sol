// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ConsumerFixture} from "../util/ConsumerFixture.sol";
import {vm} from "../util/Vm.sol";
import {IndexWeights} from "../../src/consumer/IndexWeights.sol";
import {FreeFloatWeights} from "../../src/consumer/FreeFloatWeights.sol";
import {IndexMethodologies} from "../../src/consumer/weighting/IndexMethodologies.sol";
import {WeightMath} from "../../src/consumer/weighting/WeightMath.sol";
import {ISupplyOracle} from "../../src/ISupplyOracle.sol";

/// @notice The methodologies against the real oracle: the worked examples (expected weights from
/// tools/weights-examples.cjs, BigInt), and hold/halt as in FreeFloatWeights.
contract IndexWeightsTest is ConsumerFixture {
    IndexWeights internal weigher;

    function setUp() public override {
        super.setUp();
        weigher = new IndexWeights(ISupplyOracle(address(oracle)));
        commitExample(0, flat());
    }

    function buffer() internal pure returns (IndexMethodologies.BufferParams memory) {
        return IndexMethodologies.BufferParams({capWad: 0.34e18, floorWad: 0.155e18, targetSize: 4, buffer: 1});
    }

    // ---------------------------------------------------------------- worked examples (node tools/weights-examples.cjs)

    function test_cappedMarketCap_example_iterativeCapAndDust() public view {
        (uint256[] memory w, FreeFloatWeights.Action[] memory a, bool halt) = weigher.cappedMarketCap(ts, prices, current, 0.25e18);
        assertTrue(!halt, "no halt");
        assertEq(uint256(a[0]), uint256(FreeFloatWeights.Action.Rebalance), "rebalance");
        // token 1 (24.9 % of market cap) is capped only after token 0's excess is redistributed
        assertWeights(w, [uint256(250000000000000000), 250000000000000000, 222915655136465580, 136172484144457032, 140129809918098205, 782050800979183], "cappedMarketCap25");
    }

    function test_cappedMarketCap_matchesFreeFloatWeightsUpToTheDust() public {
        FreeFloatWeights ffw = new FreeFloatWeights(ISupplyOracle(address(oracle)));
        (uint256[] memory w,,) = weigher.cappedMarketCap(ts, prices, current, 0.25e18);
        (uint256[] memory r,,) = ffw.weights(ts, prices, current, 0.25e18);
        uint256 moved;
        for (uint256 i; i < N; ++i) {
            assertLe(r[i], w[i], "the dust only adds");
            moved += w[i] - r[i];
        }
        assertEq(moved, 1e18 - sum(r), "the dust is what FreeFloatWeights leaves");
        assertLe(moved, N, "below one wei per token");
    }

    function test_sqrtMarketCap_example_uncapped() public view {
        (uint256[] memory w,,) = weigher.sqrtMarketCap(ts, prices, current, 1e18);
        assertWeights(w, [uint256(229261005282571754), 222876201539026560, 208022591786898765, 162586655819851792, 164932212410033166, 12321333161617963], "sqrtMarketCap");
    }

    function test_sqrtMarketCap_example_capped20() public view {
        (uint256[] memory w,,) = weigher.sqrtMarketCap(ts, prices, current, 0.2e18);
        assertWeights(w, [uint256(200000000000000000), 200000000000000000, 200000000000000000, 191368360958035816, 194129136852797302, 14502502189166882], "sqrtMarketCapCapped20");
    }

    function test_blendedSqrtLiquidity_example_bothCapsBind() public view {
        (uint256[] memory w,,) = weigher.blendedSqrtLiquidity(ts, prices, liquidity, current);
        // token 1 at the 25 % asset cap; token 5 at twice its market-cap weight (2 * 0.0762 %)
        assertWeights(w, [uint256(240584173761512990), 250000000000000000, 203362291031318568, 156024959495111830, 148505065620370213, 1523510091686399], "blendedSqrtLiquidity");
    }

    function test_bufferedCappedMarketCap_example_buffersFloorAndIterativeCap() public view {
        // ranks by market cap: 1, 2, 3, 5, 4, 6. Token 4 (rank 4, not a member) does not enter (needs rank <= 3);
        // token 3 (rank 5, member) stays (<= 5); token 5 (rank 6) leaves. Token 3's 15.4 % is below the 15.5 %
        // floor: pruned; then token 0 is capped at 34 %, and token 1 after the redistribution.
        (uint256[] memory w, FreeFloatWeights.Action[] memory a,) = weigher.bufferedCappedMarketCap(ts, prices, current, buffer());
        assertWeights(w, [uint256(340000000000000000), 340000000000000000, 320000000000000000, 0, 0, 0], "bufferedWeights");
        assertEq(uint256(a[5]), uint256(FreeFloatWeights.Action.Rebalance), "a leaver is sold, not held");
    }

    function test_bufferedCappedMarketCap_memberStaysWithinTheBuffer() public view {
        IndexMethodologies.BufferParams memory p = buffer();
        p.floorWad = 0.01e18; // no pruning: token 3 (rank 5, member) keeps a weight, token 5 (rank 6) does not
        (uint256[] memory w,,) = weigher.bufferedCappedMarketCap(ts, prices, current, p);
        assertTrue(w[3] > 0, "member at rank 5 stays");
        assertEq(w[4], 0, "non-member at rank 4 stays out");
        assertEq(w[5], 0, "member at rank 6 leaves");
        assertEq(sum(w), 1e18, "sum");
    }

    function test_bufferedCappedMarketCap_invalidParams_revert() public {
        IndexMethodologies.BufferParams memory p = buffer();
        p.buffer = 4;
        vm.expectRevert(IndexMethodologies.InvalidBufferParams.selector);
        weigher.bufferedCappedMarketCap(ts, prices, current, p);
    }

    // ---------------------------------------------------------------- hold and halt, as FreeFloatWeights

    function test_allMethodologies_frozenToken_heldAndTheRestSumToOne() public {
        commitNext(60, upd(tok(0), exampleCirculating(0, 100), exampleFactor(0), 1), 3); // FrozenDivergence
        uint256[][] memory results = new uint256[][](4);
        FreeFloatWeights.Action[] memory a;
        (results[0], a,) = weigher.cappedMarketCap(ts, prices, current, 0.25e18);
        assertEq(uint256(a[0]), uint256(FreeFloatWeights.Action.Hold), "hold");
        (results[1],,) = weigher.sqrtMarketCap(ts, prices, current, 1e18);
        (results[2],,) = weigher.blendedSqrtLiquidity(ts, prices, liquidity, current);
        IndexMethodologies.BufferParams memory p = buffer();
        p.floorWad = 0.01e18;
        (results[3],,) = weigher.bufferedCappedMarketCap(ts, prices, current, p);
        for (uint256 k; k < 4; ++k) {
            assertEq(results[k][0], 0.2e18, "held at its current weight");
            assertEq(sum(results[k]), 1e18, "the others share exactly 0.8");
        }
    }

    function test_allMethodologies_staleToken_held() public {
        vm.warp(clock + 1 days + 1);
        (, FreeFloatWeights.Action[] memory a, bool halt) = weigher.sqrtMarketCap(ts, prices, current, 1e18);
        assertTrue(!halt, "stale is not a halt");
        assertEq(uint256(a[2]), uint256(FreeFloatWeights.Action.Hold), "stale -> hold");
        // every token held: the current weights come back as they are
        (uint256[] memory w,,) = weigher.blendedSqrtLiquidity(ts, prices, liquidity, current);
        for (uint256 i; i < N; ++i) {
            assertEq(w[i], current[i], "kept");
        }
    }

    function test_allMethodologies_unservedToken_haltWithCurrentWeights() public {
        vm.prank(guardian);
        oracle.pauseToken(tok(3));
        bool[4] memory halts;
        uint256[][] memory results = new uint256[][](4);
        FreeFloatWeights.Action[] memory a;
        (results[0], a, halts[0]) = weigher.cappedMarketCap(ts, prices, current, 0.25e18);
        assertEq(uint256(a[3]), uint256(FreeFloatWeights.Action.Halt), "halt action");
        (results[1],, halts[1]) = weigher.sqrtMarketCap(ts, prices, current, 1e18);
        (results[2],, halts[2]) = weigher.blendedSqrtLiquidity(ts, prices, liquidity, current);
        (results[3],, halts[3]) = weigher.bufferedCappedMarketCap(ts, prices, current, buffer());
        for (uint256 k; k < 4; ++k) {
            assertTrue(halts[k], "halt");
            for (uint256 i; i < N; ++i) {
                assertEq(results[k][i], current[i], "current kept");
            }
        }
    }

    function test_heldWeightsAboveOne_revert() public {
        commitNext(60, upd(tok(0), exampleCirculating(0, 100), exampleFactor(0), 1), 3);
        current[0] = 1e18 + 1;
        vm.expectRevert(abi.encodeWithSelector(IndexMethodologies.HeldAboveWad.selector, uint256(1e18 + 1)));
        weigher.sqrtMarketCap(ts, prices, current, 1e18);
    }

    function test_capsBelowBudget_revert() public {
        vm.expectRevert(abi.encodeWithSelector(WeightMath.CapsBelowBudget.selector, uint256(0.9e18), uint256(1e18)));
        weigher.cappedMarketCap(ts, prices, current, 0.15e18);
    }
}
