// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ConsumerFixture} from "../util/ConsumerFixture.sol";
import {vm} from "../util/Vm.sol";
import {AveragedIndexWeights} from "../../src/consumer/AveragedIndexWeights.sol";
import {FreeFloatHistory} from "../../src/consumer/FreeFloatHistory.sol";
import {FreeFloatWeights} from "../../src/consumer/FreeFloatWeights.sol";
import {ISupplyOracle} from "../../src/ISupplyOracle.sol";

/// @notice The 30-day rules on FreeFloatHistory against the real oracle: the worked example of
/// tools/weights-examples.cjs (four commits over 34 days, read 6 hours after the last), hold and halt.
contract AveragedIndexWeightsTest is ConsumerFixture {
    FreeFloatHistory internal history;
    AveragedIndexWeights internal weigher;

    function setUp() public override {
        super.setUp();
        history = new FreeFloatHistory(ISupplyOracle(address(oracle)), 64);
        weigher = new AveragedIndexWeights(history);
    }

    function _commitAndPoke(uint256 dt, uint256[N] memory mult) internal {
        commitExample(dt, mult);
        history.pokeMany(ts);
    }

    function _exampleHistory() internal {
        _commitAndPoke(0, flat());
        _commitAndPoke(10 days, [uint256(110), 95, 100, 120, 80, 100]);
        _commitAndPoke(10 days, [uint256(90), 105, 130, 100, 100, 70]);
        _commitAndPoke(14 days, [uint256(100), 100, 100, 100, 150, 100]);
        clock += 6 hours; // read 6 hours after the last commit
        vm.warp(clock);
    }

    function test_averageSupply_example() public {
        _exampleHistory();
        uint256[N] memory expected = [uint256(986666666666666666666666), 3523333383666666666666666, 285000205200000000000000, 8533333312000000000000000, 112499718750000000000000, 34399785000000000000000];
        for (uint256 i; i < N; ++i) {
            assertEq(history.averageSupply(tok(i)), expected[i], "30-day average supply");
        }
    }

    function test_sqrtMarketCap30d_example() public {
        _exampleHistory();
        (uint256[] memory w,, bool halt) = weigher.sqrtMarketCap30d(ts, prices, current, 1e18);
        assertTrue(!halt, "no halt");
        assertWeights(w, [uint256(224917630986091886), 220858755956187921, 219366854846601261, 165846893103514650, 157724515791449224, 11285349316155058], "sqrtMarketCap30d");
    }

    function test_blendedSqrtLiquidity30d_example() public {
        _exampleHistory();
        (uint256[] memory w,,) = weigher.blendedSqrtLiquidity30d(ts, prices, liquidity, current);
        assertWeights(w, [uint256(236123550627557284), 250000000000000000, 212396926981982621, 158314533034071186, 141891385030229643, 1273604326159266], "blendedSqrtLiquidity30d");
    }

    function test_historyShorterThanTheWindow_halts() public {
        _commitAndPoke(0, flat());
        (uint256[] memory w, FreeFloatWeights.Action[] memory a, bool halt) = weigher.sqrtMarketCap30d(ts, prices, current, 1e18);
        assertTrue(halt, "halt");
        assertEq(uint256(a[0]), uint256(FreeFloatWeights.Action.Halt), "halt action");
        for (uint256 i; i < N; ++i) {
            assertEq(w[i], current[i], "current kept");
        }
    }

    function test_commitNotPoked_halts() public {
        _exampleHistory();
        commitExample(1 hours, flat());
        (,, bool halt) = weigher.blendedSqrtLiquidity30d(ts, prices, liquidity, current);
        assertTrue(halt, "the history is behind the oracle");
        history.pokeMany(ts);
        (,, halt) = weigher.blendedSqrtLiquidity30d(ts, prices, liquidity, current);
        assertTrue(!halt, "poked: served");
    }

    function test_frozenToken_held() public {
        _exampleHistory();
        commitNext(60, upd(tok(2), exampleCirculating(2, 100), exampleFactor(2), 2), 3); // FrozenSupply
        (uint256[] memory w, FreeFloatWeights.Action[] memory a,) = weigher.sqrtMarketCap30d(ts, prices, current, 1e18);
        assertEq(uint256(a[2]), uint256(FreeFloatWeights.Action.Hold), "hold");
        assertEq(w[2], current[2], "kept");
        assertEq(sum(w), 1e18, "the others share the rest exactly");
    }

    function test_pausedToken_halts() public {
        _exampleHistory();
        vm.prank(guardian);
        oracle.pauseToken(tok(1));
        (, FreeFloatWeights.Action[] memory a, bool halt) = weigher.sqrtMarketCap30d(ts, prices, current, 1e18);
        assertTrue(halt, "halt");
        assertEq(uint256(a[1]), uint256(FreeFloatWeights.Action.Halt), "halt action");
    }
}
