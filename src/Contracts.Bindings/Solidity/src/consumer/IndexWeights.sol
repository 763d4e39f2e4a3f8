// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISupplyOracle} from "../ISupplyOracle.sol";
import {FreeFloatWeights} from "./FreeFloatWeights.sol";
import {FreeFloatHistory} from "./FreeFloatHistory.sol";
import {BasketReads} from "./weighting/BasketReads.sol";
import {IndexMethodologies} from "./weighting/IndexMethodologies.sol";

/// @title IndexWeights: index weighting methodologies over the oracle's committed free-float supply
/// @notice Every function reads `tokens` as `FreeFloatWeights` does (`BasketReads`, PROTOCOL.md section 9): a frozen
/// or stale token is held at its current weight (`Action.Hold`), an unserved one halts the rebalance (`halt`, every
/// current weight returned unchanged). Otherwise the held tokens keep their weights and the others share the rest by
/// the methodology (`IndexMethodologies`), weights in WAD summing to exactly 1e18 (the dust rule is
/// `WeightMath.placeDust`). `prices` are WAD prices of one whole token in the vault's unit of account. For the same
/// rules on 30-day averages of the committed supply, see `AveragedIndexWeights`. A vault can also link the
/// `IndexMethodologies` library itself and skip the external call.
contract IndexWeights {
    ISupplyOracle public immutable oracle;

    constructor(ISupplyOracle oracle_) {
        oracle = oracle_;
    }

    /// @notice Capped free-float market cap: proportional to market cap, each at most `capWad`, excess redistributed.
    function cappedMarketCap(address[] calldata tokens, uint256[] calldata prices, uint256[] calldata currentWeights, uint256 capWad)
        external
        view
        returns (uint256[] memory target, FreeFloatWeights.Action[] memory actions, bool halt)
    {
        BasketReads.Basket memory b = _read(tokens, prices, currentWeights);
        if (b.halt) return (currentWeights, b.actions, true);
        return (IndexMethodologies.cappedMarketCap(b, capWad), b.actions, false);
    }

    /// @notice Square-root market cap: proportional to the square root of market cap, each at most `capWad`
    /// (1e18 for no cap).
    function sqrtMarketCap(address[] calldata tokens, uint256[] calldata prices, uint256[] calldata currentWeights, uint256 capWad)
        external
        view
        returns (uint256[] memory target, FreeFloatWeights.Action[] memory actions, bool halt)
    {
        BasketReads.Basket memory b = _read(tokens, prices, currentWeights);
        if (b.halt) return (currentWeights, b.actions, true);
        return (IndexMethodologies.sqrtMarketCap(b, capWad), b.actions, false);
    }

    /// @notice 75 % square-root market cap + 25 % liquidity (`liquidity`: trading depth at 100 bps per token), each
    /// allocation capped at twice its pure market-cap weight and at 25 %.
    function blendedSqrtLiquidity(
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

    /// @notice Capped market cap with iterative redistribution, a floor and entry/exit buffers (index-protocol's
    /// MarketCapMethodology as read in `IndexMethodologies.bufferedCappedMarketCap`); members are the tokens with a
    /// non-zero current weight.
    function bufferedCappedMarketCap(
        address[] calldata tokens,
        uint256[] calldata prices,
        uint256[] calldata currentWeights,
        IndexMethodologies.BufferParams calldata params
    ) external view returns (uint256[] memory target, FreeFloatWeights.Action[] memory actions, bool halt) {
        BasketReads.Basket memory b = _read(tokens, prices, currentWeights);
        if (b.halt) return (currentWeights, b.actions, true);
        return (IndexMethodologies.bufferedCappedMarketCap(b, currentWeights, params), b.actions, false);
    }

    function _read(address[] calldata tokens, uint256[] calldata prices, uint256[] calldata currentWeights)
        private
        view
        returns (BasketReads.Basket memory)
    {
        return BasketReads.read(oracle, FreeFloatHistory(address(0)), 0, tokens, prices, currentWeights);
    }
}
