// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Test} from "../util/Test.sol";
import {vm} from "../util/Vm.sol";
import {WeightMath} from "../../src/consumer/weighting/WeightMath.sol";
import {BasketReads} from "../../src/consumer/weighting/BasketReads.sol";
import {IndexMethodologies} from "../../src/consumer/weighting/IndexMethodologies.sol";
import {FreeFloatWeights} from "../../src/consumer/FreeFloatWeights.sol";

/// @notice The square root against brute force, and the methodologies' properties on fuzzed baskets: the weights
/// sum to exactly 1e18, none is above its cap, they are monotonic in market cap, and they follow their tokens
/// (reversing the basket reverses the weights).
contract WeightMathTest is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant MAX_N = 12;

    // ---------------------------------------------------------------- square root

    function test_sqrt_smallNumbers_equalLinearSearch() public pure {
        uint256 r;
        for (uint256 x; x <= 5000; ++x) {
            while ((r + 1) * (r + 1) <= x) ++r; // brute force: the largest r with r*r <= x
            assertEq(_sqrt(x), r, "sqrt");
        }
    }

    function testFuzz_sqrt_isTheFloorOfTheRoot(uint256 x) public pure {
        uint256 r = _sqrt(x);
        assertLe(r, x / (r == 0 ? 1 : r), "r*r <= x"); // r <= x / r  <=>  r*r <= x
        if (r < type(uint128).max) assertTrue((r + 1) * (r + 1) > x, "(r+1)^2 > x");
    }

    function testFuzz_sqrtWad_isTheWadRoot(uint256 x) public pure {
        x = x % (type(uint256).max / WAD);
        uint256 r = WeightMath.sqrtWad(x);
        assertEq(r, Math.sqrt(x * WAD), "the root of x * 1e18");
        assertLe(r * r, x * WAD, "r*r <= x*1e18");
        if (r < type(uint128).max) assertTrue((r + 1) * (r + 1) > x * WAD, "(r+1)^2 > x*1e18");
    }

    function test_sqrtWad_knownValues() public pure {
        assertEq(WeightMath.sqrtWad(4e18), 2e18, "sqrt 4");
        assertEq(WeightMath.sqrtWad(2e18), 1414213562373095048, "sqrt 2, floor");
        assertEq(WeightMath.sqrtWad(0), 0, "sqrt 0");
    }

    // ---------------------------------------------------------------- properties on fuzzed baskets

    function testFuzz_cappedMarketCap_properties(uint64[MAX_N] memory raw, uint256 n, uint256 cap) public pure {
        (BasketReads.Basket memory b, uint256 k) = _basket(raw, n);
        cap = _bound(cap, (WAD + k - 1) / k, WAD);
        uint256[] memory w = IndexMethodologies.cappedMarketCap(b, cap);
        _checkUniform(w, b.marketCap, cap);
        _checkOrderKept(IndexMethodologies.cappedMarketCap(_reversed(b), cap), w, b.marketCap);
    }

    function testFuzz_sqrtMarketCap_properties(uint64[MAX_N] memory raw, uint256 n, uint256 cap) public pure {
        (BasketReads.Basket memory b, uint256 k) = _basket(raw, n);
        cap = _bound(cap, (WAD + k - 1) / k, WAD);
        uint256[] memory w = IndexMethodologies.sqrtMarketCap(b, cap);
        _checkUniform(w, b.marketCap, cap);
        _checkOrderKept(IndexMethodologies.sqrtMarketCap(_reversed(b), cap), w, b.marketCap);
    }

    function testFuzz_blendedSqrtLiquidity_properties(uint64[MAX_N] memory raw, uint64[MAX_N] memory liq, uint256 n)
        public
        pure
    {
        (BasketReads.Basket memory b, uint256 k) = _basket(raw, n);
        uint256[] memory l = new uint256[](k);
        uint256 m;
        for (uint256 i; i < k; ++i) {
            l[i] = uint256(liq[i]) * 1e9;
            m += b.marketCap[i];
        }
        l[0] += 1; // some liquidity
        uint256 capsTotal;
        for (uint256 i; i < k; ++i) {
            capsTotal += _min(2 * WAD * b.marketCap[i] / m, 0.25e18);
        }
        vm.assume(capsTotal >= WAD); // otherwise no split respects the caps (reverts CapsBelowBudget)
        uint256[] memory w = IndexMethodologies.blendedSqrtLiquidity(b, l);
        assertEq(_sum(w), WAD, "sum is exactly 1e18");
        for (uint256 i; i < k; ++i) {
            assertLe(w[i], 0.25e18, "25 % cap");
            assertLe(w[i], 2 * WAD * b.marketCap[i] / m, "2x market-cap weight");
        }
    }

    function testFuzz_bufferedCappedMarketCap_properties(
        uint64[MAX_N] memory raw,
        uint256 n,
        uint256 membersMask,
        uint256 target,
        uint256 floorWad
    ) public view {
        (BasketReads.Basket memory b, uint256 k) = _basket(raw, n);
        uint256[] memory cur = new uint256[](k);
        for (uint256 i; i < k; ++i) {
            cur[i] = (membersMask >> i) & 1 == 1 ? 1 : 0;
        }
        target = _bound(target, 2, k);
        IndexMethodologies.BufferParams memory p =
            IndexMethodologies.BufferParams({capWad: 0.5e18, floorWad: _bound(floorWad, 0, 0.05e18), targetSize: target, buffer: 1});
        try this.buffered(b, cur, p) returns (uint256[] memory w) {
            assertEq(_sum(w), WAD, "sum is exactly 1e18");
            for (uint256 i; i < k; ++i) {
                assertLe(w[i], p.capWad, "cap");
                assertTrue(w[i] == 0 || w[i] >= p.floorWad, "no weight below the floor");
                uint256 rank = 1;
                for (uint256 j; j < k; ++j) {
                    if (b.marketCap[j] > b.marketCap[i] || (b.marketCap[j] == b.marketCap[i] && j < i)) ++rank;
                }
                if (w[i] > 0) assertLe(rank, cur[i] > 0 ? target + 1 : target - 1, "membership within the buffers");
            }
        } catch (bytes memory reason) {
            // too few members for a 50 % cap: the one way it may refuse
            assertEq(bytes4(reason), WeightMath.CapsBelowBudget.selector, "only CapsBelowBudget");
        }
    }

    function testFuzz_heldTokens_keepWeight_restSumsToOne(uint64[MAX_N] memory raw, uint256 n, uint256 heldWeight) public pure {
        (BasketReads.Basket memory b, uint256 k) = _basket(raw, n);
        vm.assume(k >= 2);
        heldWeight = _bound(heldWeight, 0, WAD);
        b.actions[0] = FreeFloatWeights.Action.Hold;
        b.target[0] = heldWeight;
        b.held = heldWeight;
        b.marketCap[0] = 0;
        b.live = k - 1;
        uint256[] memory w = IndexMethodologies.sqrtMarketCap(b, WAD);
        assertEq(w[0], heldWeight, "held weight kept");
        assertEq(_sum(w), WAD, "sum is exactly 1e18");
    }

    function buffered(BasketReads.Basket memory b, uint256[] memory cur, IndexMethodologies.BufferParams memory p)
        external
        pure
        returns (uint256[] memory)
    {
        return IndexMethodologies.bufferedCappedMarketCap(b, cur, p);
    }

    // ---------------------------------------------------------------- helpers

    /// @dev The integer root `sqrtWad` is built on (OpenZeppelin's Newton iteration), tested on its own so small
    /// inputs are covered (sqrtWad itself only sees multiples of 1e18).
    function _sqrt(uint256 x) private pure returns (uint256) {
        return Math.sqrt(x);
    }

    /// @dev A basket of `k` (2..MAX_N) Rebalance tokens with market caps from `raw`, all positive.
    function _basket(uint64[MAX_N] memory raw, uint256 n) private pure returns (BasketReads.Basket memory b, uint256 k) {
        k = _bound(n, 2, MAX_N);
        b.actions = new FreeFloatWeights.Action[](k);
        b.target = new uint256[](k);
        b.marketCap = new uint256[](k);
        for (uint256 i; i < k; ++i) {
            b.marketCap[i] = (uint256(raw[i]) + 1) * 1e12; // up to ~1.8e31: 1.8e13 units of account
        }
        b.live = k;
    }

    function _reversed(BasketReads.Basket memory b) private pure returns (BasketReads.Basket memory r) {
        uint256 k = b.marketCap.length;
        r.actions = new FreeFloatWeights.Action[](k);
        r.target = new uint256[](k);
        r.marketCap = new uint256[](k);
        for (uint256 i; i < k; ++i) {
            r.marketCap[i] = b.marketCap[k - 1 - i];
        }
        r.live = k;
    }

    function _checkUniform(uint256[] memory w, uint256[] memory mcap, uint256 cap) private pure {
        assertEq(_sum(w), WAD, "sum is exactly 1e18");
        for (uint256 i; i < w.length; ++i) {
            assertLe(w[i], cap, "no weight above the cap");
            for (uint256 j; j < w.length; ++j) {
                if (mcap[i] > mcap[j]) assertLe(w[j], w[i], "monotonic in market cap");
            }
        }
    }

    /// @dev Weights follow their tokens: reversing the basket reverses the weights (when no two market caps tie,
    /// since the dust breaks exact ties by position).
    function _checkOrderKept(uint256[] memory reversedW, uint256[] memory w, uint256[] memory mcap) private pure {
        uint256 k = w.length;
        for (uint256 i; i < k; ++i) {
            for (uint256 j = i + 1; j < k; ++j) {
                if (mcap[i] == mcap[j]) return;
            }
        }
        for (uint256 i; i < k; ++i) {
            assertEq(reversedW[k - 1 - i], w[i], "order kept");
        }
    }

    function _sum(uint256[] memory w) private pure returns (uint256 s) {
        for (uint256 i; i < w.length; ++i) {
            s += w[i];
        }
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _bound(uint256 x, uint256 lo, uint256 hi) private pure returns (uint256) {
        return lo + x % (hi - lo + 1);
    }
}
