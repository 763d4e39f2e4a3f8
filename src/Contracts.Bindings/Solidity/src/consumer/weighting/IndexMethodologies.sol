// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {BasketReads} from "./BasketReads.sol";
import {WeightMath} from "./WeightMath.sol";

/// @title IndexMethodologies: index weighting rules over a basket read from the oracle
/// @notice Pure functions of a `BasketReads.Basket` (the hold/halt decisions and free-float market caps already made;
/// callers return the current weights on `halt` before calling these). Each returns the target weights (WAD): the held
/// tokens keep their current weight, the budget `1e18 - held` is split over the Rebalance tokens by the rule, rounded
/// down once per token, and the rounding dust is placed by `WeightMath.placeDust` (to the largest weight below its
/// cap), so the weights sum to EXACTLY 1e18 whenever a token rebalances. When none does, the held weights are
/// returned as given. Reverts with `HeldAboveWad` when the held weights alone exceed 1e18, and with
/// `WeightMath.CapsBelowBudget` when the caps cannot hold the budget.
library IndexMethodologies {
    uint256 internal constant WAD = 1e18;
    /// @notice Blended rule: 75 % square-root market cap (3 of 4 parts) + 25 % liquidity (1 of 4 parts).
    uint256 internal constant BLEND_SQRT_PARTS = 3;
    uint256 internal constant BLEND_PARTS = 4;
    /// @notice Blended rule: an allocation is capped at twice its pure market-cap weight ...
    uint256 internal constant BLEND_MCAP_MULTIPLE = 2;
    /// @notice ... and at 25 % per asset.
    uint256 internal constant BLEND_ASSET_CAP = 0.25e18;

    /// @notice Capped market cap with a floor and membership buffers (see `bufferedCappedMarketCap`).
    struct BufferParams {
        uint256 capWad; // per-asset cap (WAD), e.g. 0.25e18
        uint256 floorWad; // a member below this weight is pruned, e.g. 1e14 (0.01 %)
        uint256 targetSize; // N: the index aims at N members
        uint256 buffer; // b: a newcomer enters at rank <= N - b, a member leaves at rank > N + b
    }

    error HeldAboveWad(uint256 held);
    error NoLiquidity();
    error InvalidBufferParams();

    /// @notice Capped free-float market cap: weight proportional to market cap, each at most `capWad`, the excess
    /// redistributed proportionally over the uncapped tokens (FreeFloatWeights' split, with the dust placed).
    function cappedMarketCap(BasketReads.Basket memory b, uint256 capWad) internal pure returns (uint256[] memory) {
        return _split(b, b.marketCap, _uniform(b.marketCap.length, capWad), BasketReads.rebalancing(b));
    }

    /// @notice Square-root market cap: weight proportional to `sqrtWad(marketCap)`, each at most `capWad` (1e18: no
    /// cap), the excess redistributed over the uncapped tokens in proportion to their square roots.
    function sqrtMarketCap(BasketReads.Basket memory b, uint256 capWad) internal pure returns (uint256[] memory) {
        return _split(b, _sqrtScores(b.marketCap), _uniform(b.marketCap.length, capWad), BasketReads.rebalancing(b));
    }

    /// @notice 75 % square-root market cap + 25 % liquidity, each allocation capped at twice its pure market-cap
    /// weight and at 25 %, the excess redistributed over the uncapped tokens in proportion to their blended scores.
    /// @param liquidity per token, the trading depth at 100 bps (any unit, the same for every token); only the ratios
    /// between tokens count.
    /// @dev Over the Rebalance tokens, with S = sum sqrt(m_j), L = sum l_j, M = sum m_j and budget B, the blended
    /// weight is B * (3/4 * sqrt(m_i) / S + 1/4 * l_i / L) = B * (3 * sqrt(m_i) * L + l_i * S) / (4 * S * L): the
    /// integer score `3 * sqrt(m_i) * L + l_i * S` gives it with one rounding. The cap of token i is
    /// `min(floor(2 * B * m_i / M), 0.25e18)`.
    function blendedSqrtLiquidity(BasketReads.Basket memory b, uint256[] memory liquidity)
        internal
        pure
        returns (uint256[] memory)
    {
        uint256 n = b.marketCap.length;
        bool[] memory eligible = BasketReads.rebalancing(b);
        uint256[] memory roots = _sqrtScores(b.marketCap);
        (uint256 s, uint256 l, uint256 m) = (0, 0, 0);
        for (uint256 i; i < n; ++i) {
            if (!eligible[i]) continue;
            s += roots[i];
            l += liquidity[i];
            m += b.marketCap[i];
        }
        if (b.live == 0) return b.target;
        if (m == 0) revert WeightMath.NoMarketCap();
        if (l == 0) revert NoLiquidity();
        uint256 budget = _budget(b);
        uint256[] memory score = new uint256[](n);
        uint256[] memory cap = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            if (!eligible[i]) continue;
            score[i] = BLEND_SQRT_PARTS * roots[i] * l + (BLEND_PARTS - BLEND_SQRT_PARTS) * liquidity[i] * s;
            cap[i] = Math.min(Math.mulDiv(BLEND_MCAP_MULTIPLE * budget, b.marketCap[i], m), BLEND_ASSET_CAP);
        }
        return _split(b, score, cap, eligible);
    }

    /// @notice Capped market cap with iterative cap redistribution, a minimum-weight floor and membership buffers:
    /// this project's reading of index-protocol's MarketCapMethodology (with its WeightMath buffer rule), which
    /// already reads `getFreeFloatSupply` from this oracle. The semantics, step by step:
    ///  1. Rank: the Rebalance tokens are ranked by free-float market cap, largest first (rank 1), equal market caps
    ///     by their position in `tokens`. Held tokens keep their weight and membership and are not ranked.
    ///  2. Buffers (hysteresis at the index boundary): a member (current weight > 0) stays while its rank is at most
    ///     N + b and leaves beyond it; a non-member enters only at rank N - b or better. So a token crossing rank N
    ///     back and forth does not churn; membership can exceed or fall short of N in between.
    ///  3. Cap: the members share the budget by market cap, each at most `capWad`, the excess redistributed in
    ///     proportion to market cap over the uncapped members, repeated until none exceeds the cap.
    ///  4. Floor: members whose weight (before the dust) is below `floorWad` are pruned to 0 and the survivors share
    ///     the budget again by step 3 (pruning only raises the others, so this ends), then the dust is placed.
    /// Non-members get weight 0 with `Action.Rebalance` (sell, or do not buy). Differences from MarketCapMethodology
    /// that are choices of this reference: the split is recomputed from market caps in each pass instead of
    /// renormalising rounded weights (one rounding per weight), the dust goes to the largest weight below the cap with
    /// the market cap breaking ties, and the cap and floor are absolute weights while held tokens take part of 1e18.
    /// The ranking compares every pair of tokens (n^2: about 0.9M gas of the 1.8M at 50 tokens, `./bench.sh gas`).
    /// @param currentWeights the vault's current weights: a token with a non-zero weight is a member.
    function bufferedCappedMarketCap(BasketReads.Basket memory b, uint256[] memory currentWeights, BufferParams memory p)
        internal
        pure
        returns (uint256[] memory target)
    {
        if (p.capWad == 0 || p.capWad > WAD || p.floorWad >= p.capWad || p.buffer >= p.targetSize) {
            revert InvalidBufferParams();
        }
        uint256 n = b.marketCap.length;
        uint256[] memory mcap = b.marketCap;
        bool[] memory ranked = BasketReads.rebalancing(b);
        bool[] memory member = new bool[](n);
        for (uint256 i; i < n; ++i) {
            if (!ranked[i]) continue;
            uint256 mi = mcap[i];
            uint256 rank = 1;
            unchecked {
                for (uint256 j; j < n; ++j) {
                    // Rebalance tokens only; a larger market cap, or an equal one earlier in the list, ranks above
                    if (ranked[j] && (mcap[j] > mi || (mcap[j] == mi && j < i))) ++rank;
                }
            }
            member[i] = currentWeights[i] > 0 ? rank <= p.targetSize + p.buffer : rank + p.buffer <= p.targetSize;
        }
        if (b.live == 0) return b.target;
        uint256 budget = _budget(b);
        uint256[] memory cap = _uniform(n, p.capWad);
        uint256[] memory w;
        for (bool pruned = true; pruned;) {
            _checkCaps(cap, member, budget);
            w = WeightMath.cappedSplit(b.marketCap, cap, member, budget);
            pruned = false;
            for (uint256 i; i < n; ++i) {
                if (member[i] && w[i] < p.floorWad) {
                    member[i] = false;
                    pruned = true;
                }
            }
        }
        WeightMath.placeDust(w, b.marketCap, cap, member, budget);
        target = _merge(b, w, member);
    }

    /// @dev Splits the budget over `eligible` by `score` under `cap`, places the dust, fills the Rebalance tokens.
    function _split(BasketReads.Basket memory b, uint256[] memory score, uint256[] memory cap, bool[] memory eligible)
        private
        pure
        returns (uint256[] memory)
    {
        if (b.live == 0) return b.target;
        uint256 budget = _budget(b);
        _checkCaps(cap, eligible, budget);
        uint256[] memory w = WeightMath.cappedSplit(score, cap, eligible, budget);
        WeightMath.placeDust(w, score, cap, eligible, budget);
        return _merge(b, w, eligible);
    }

    /// @dev The weight the Rebalance tokens share: what the held ones leave of 1e18.
    function _budget(BasketReads.Basket memory b) private pure returns (uint256) {
        if (b.held > WAD) revert HeldAboveWad(b.held);
        return WAD - b.held;
    }

    function _checkCaps(uint256[] memory cap, bool[] memory eligible, uint256 budget) private pure {
        uint256 total = WeightMath.capsTotal(cap, eligible);
        if (total < budget) revert WeightMath.CapsBelowBudget(total, budget);
    }

    function _merge(BasketReads.Basket memory b, uint256[] memory w, bool[] memory eligible)
        private
        pure
        returns (uint256[] memory target)
    {
        target = b.target;
        for (uint256 i; i < w.length; ++i) {
            if (eligible[i]) target[i] = w[i];
        }
    }

    function _uniform(uint256 n, uint256 capWad) private pure returns (uint256[] memory cap) {
        cap = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            cap[i] = capWad;
        }
    }

    function _sqrtScores(uint256[] memory marketCap) private pure returns (uint256[] memory roots) {
        roots = new uint256[](marketCap.length);
        for (uint256 i; i < marketCap.length; ++i) {
            roots[i] = WeightMath.sqrtWad(marketCap[i]);
        }
    }
}
