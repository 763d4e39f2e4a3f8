// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title WeightMath: exact integer arithmetic shared by the weighting methodologies (WAD, 1e18 = 100 %)
/// @notice Every function is pure and works on "scores" (market caps, square roots of market caps, blended scores):
///  - `cappedSplit` shares a budget in proportion to the scores of the eligible tokens, each capped at its own cap,
///    the excess redistributed over the uncapped ones in proportion to their scores (water filling);
///  - `placeDust` brings the floor-rounded split to exactly the budget, never above a cap (the dust rule below);
///  - `sqrtWad` is the square root of a WAD number as a WAD number.
library WeightMath {
    uint256 internal constant WAD = 1e18;

    /// @notice No eligible token with a non-zero score is left to take the remaining budget.
    error NoMarketCap();
    /// @notice The caps of the eligible tokens add up to less than the budget: no split can respect them.
    error CapsBelowBudget(uint256 capsTotal, uint256 budget);

    /// @notice `floor(sqrt(x * 1e18))`: the WAD square root of the WAD number `x` (reverts on overflow,
    /// `x > 2**256 / 1e18`, ~1.16e59).
    /// @dev OpenZeppelin's `Math.sqrt`: Newton's (Babylonian) iteration from an initial estimate within a factor of two
    /// of the root, with enough rounds for quadratic convergence and a final `min` step, which returns exactly the
    /// floor of the real square root (tested against a brute-force search in test/consumer/WeightMath.t.sol).
    function sqrtWad(uint256 x) internal pure returns (uint256) {
        return Math.sqrt(x * WAD);
    }

    /// @notice Market cap (WAD unit of account) of `supply` native units at `price` (WAD per whole token).
    function marketCap(uint256 supply, uint256 price, uint8 decimals) internal pure returns (uint256) {
        return Math.mulDiv(supply, price, 10 ** uint256(decimals));
    }

    /// @notice Capped proportional split of `budget` over the tokens with `eligible[i]`, floor-rounded.
    /// @dev Each pass gives every uncapped eligible token `floor(remaining * score / uncappedTotal)`; the tokens whose
    /// share exceeds their cap are fixed at the cap, the budget they take is removed and the pass restarts over the
    /// others (at most one pass per token). Fixing every offender of a pass at once gives the same result as fixing
    /// one at a time: a token fixed at its cap took less than its share, so the other shares only grow and every
    /// other offender still exceeds its cap in the next pass. In exact arithmetic this equals redistributing the
    /// excess pro rata over the uncapped tokens until none exceeds its cap; here each weight is rounded once, down, so
    /// the result sums to at most `budget`, short by less than one wei per uncapped token (see `placeDust`).
    /// Reverts with `NoMarketCap` when uncapped tokens remain but none has a score.
    /// @return w the weights (0 for tokens that are not eligible).
    function cappedSplit(uint256[] memory score, uint256[] memory cap, bool[] memory eligible, uint256 budget)
        internal
        pure
        returns (uint256[] memory w)
    {
        uint256 n = score.length;
        w = new uint256[](n);
        bool[] memory capped = new bool[](n);
        while (true) {
            uint256 total;
            for (uint256 i; i < n; ++i) {
                if (eligible[i] && !capped[i]) total += score[i];
            }
            if (total == 0) revert NoMarketCap();
            uint256 taken;
            for (uint256 i; i < n; ++i) {
                if (!eligible[i] || capped[i]) continue;
                uint256 share = Math.mulDiv(budget, score[i], total);
                if (share > cap[i]) {
                    capped[i] = true;
                    w[i] = cap[i];
                    taken += cap[i];
                } else {
                    w[i] = share;
                }
            }
            if (taken == 0) return w;
            budget -= taken;
        }
    }

    /// @notice Adds `budget - sum(w)` (the rounding dust of `cappedSplit`) so the eligible weights sum to `budget`
    /// exactly, never above a cap.
    /// @dev The dust rule: the dust goes to the eligible token with the LARGEST weight still below its cap; among equal
    /// weights, the one with the larger score, then the lower index. It takes what fits under its cap and the rest
    /// (if any) goes by the same rule. Giving the dust to the largest position keeps its relative effect smallest,
    /// and the score tie-break keeps the weights monotonic in the scores (a token never overtakes one with a larger
    /// score). The dust is below one wei per uncapped token. Reverts with `CapsBelowBudget` when the caps cannot hold
    /// it (callers check the caps against the budget first, so this is a backstop).
    function placeDust(uint256[] memory w, uint256[] memory score, uint256[] memory cap, bool[] memory eligible, uint256 budget)
        internal
        pure
    {
        uint256 n = w.length;
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            if (eligible[i]) sum += w[i];
        }
        uint256 dust = budget - sum; // cappedSplit never exceeds the budget
        while (dust > 0) {
            uint256 best = type(uint256).max;
            for (uint256 i; i < n; ++i) {
                if (!eligible[i] || w[i] >= cap[i]) continue;
                if (best == type(uint256).max || w[i] > w[best] || (w[i] == w[best] && score[i] > score[best])) best = i;
            }
            if (best == type(uint256).max) revert CapsBelowBudget(sum, budget);
            uint256 add = Math.min(dust, cap[best] - w[best]);
            w[best] += add;
            dust -= add;
        }
    }

    /// @notice Sum of `cap` over the eligible tokens.
    function capsTotal(uint256[] memory cap, bool[] memory eligible) internal pure returns (uint256 total) {
        for (uint256 i; i < cap.length; ++i) {
            if (eligible[i]) total += cap[i];
        }
    }
}
