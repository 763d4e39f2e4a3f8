// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISupplyOracle} from "../ISupplyOracle.sol";
import {FreeFloatWeights} from "./FreeFloatWeights.sol";
import {FreeFloatHistory} from "./FreeFloatHistory.sol";
import {BasketReads} from "./weighting/BasketReads.sol";
import {IndexMethodologies} from "./weighting/IndexMethodologies.sol";

/// @title AveragedIndexWeights: the methodologies that smooth over 30 days, on `FreeFloatHistory`
/// @notice The market cap of a token is its time-weighted average committed free-float supply over the history's
/// 30-day window (`FreeFloatHistory.averageSupply`) times the caller's price. The oracle holds no prices, so the
/// price side of the average is the caller's: pass 30-day average prices (and, for the blended rule, 30-day average
/// liquidity) to get the published 30-day rules; the product is then the product of the averages, which differs
/// from the average of daily market caps by the covariance of price and supply over the window (small: the supply
/// moves slowly). Hold and halt as in `FreeFloatWeights`, judged on the oracle's current flags and reads; in
/// addition a token whose history cannot answer (shorter than the window, or not poked since the oracle's last
/// commit: poke it in the same transaction first) halts the rebalance.
contract AveragedIndexWeights {
    ISupplyOracle public immutable oracle;
    FreeFloatHistory public immutable history;

    constructor(FreeFloatHistory history_) {
        history = history_;
        oracle = history_.oracle();
    }

    /// @notice Square-root market cap on the 30-day average (Index Coop's large-cap rule), each at most `capWad`.
    function sqrtMarketCap30d(address[] calldata tokens, uint256[] calldata prices, uint256[] calldata currentWeights, uint256 capWad)
        external
        view
        returns (uint256[] memory target, FreeFloatWeights.Action[] memory actions, bool halt)
    {
        BasketReads.Basket memory b = _read(tokens, prices, currentWeights);
        if (b.halt) return (currentWeights, b.actions, true);
        return (IndexMethodologies.sqrtMarketCap(b, capWad), b.actions, false);
    }

    /// @notice The blended rule (75 % square-root market cap + 25 % liquidity, caps 2x market-cap weight and 25 %)
    /// allocated on 30-day averages: the supply side from the history, `prices` and `liquidity` from the caller.
    function blendedSqrtLiquidity30d(
        address[] calldata tokens,
        uint256[] calldata prices,
        uint256[] calldata liquidity,
        uint256[] calldata currentWeights
    ) external view returns (uint256[] memory target, FreeFloatWeights.Action[] memory actions, bool halt) {
        if (liquidity.length != tokens.length) revert BasketReads.LengthMismatch();
        BasketReads.Basket memory b = _read(tokens, prices, currentWeights);
        if (b.halt) return (currentWeights, b.actions, true);
        return (IndexMethodologies.blendedSqrtLiquidity(b, liquidity), b.actions, false);
    }

    function _read(address[] calldata tokens, uint256[] calldata prices, uint256[] calldata currentWeights)
        private
        view
        returns (BasketReads.Basket memory)
    {
        return BasketReads.read(oracle, history, history.DEFAULT_WINDOW(), tokens, prices, currentWeights);
    }
}
