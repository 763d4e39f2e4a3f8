// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISupplyOracle} from "../ISupplyOracle.sol";
import {FreeFloatHistory} from "./FreeFloatHistory.sol";
import {BasketReads} from "./weighting/BasketReads.sol";
import {WeightMath} from "./weighting/WeightMath.sol";

/// @title FreeFloatWeights: reference consumer turning free-float supply and prices into capped market-cap weights
/// @notice Shows how a vault should use SupplyOracle (PROTOCOL.md section 9):
///  - it reads `committedFreeFloatSupply` (fixed at the round's reference block, flash-loan proof);
///  - a token that is `frozen` (disputed or paused) or `stale` keeps its current weight: the vault must not trade it
///    on data the reporters dispute or have stopped refreshing (action Hold);
///  - a token whose supply read reverts (paused, never committed, commit too old) makes the whole rebalance unsafe:
///    `halt` is true and the vault keeps its current weights;
///  - the other tokens share what the held ones leave, by free-float market cap, each capped at `capWad`, the
///    excess redistributed proportionally over the uncapped ones.
contract FreeFloatWeights {
    uint256 internal constant WAD = 1e18;

    /// @notice What the vault should do with one token this rebalance.
    enum Action {
        Rebalance, // fresh, undisputed data: weight from free-float market cap
        Hold, // frozen or stale: keep the current weight, do not trade it
        Halt // the oracle refuses to serve it: keep every current weight
    }

    ISupplyOracle public immutable oracle;

    /// @notice `capWad * (rebalancing tokens)` cannot cover the weight to distribute.
    error CapTooLow(uint256 capWad, uint256 tokens, uint256 budget);

    constructor(ISupplyOracle oracle_) {
        oracle = oracle_;
    }

    /// @notice Target weights (WAD, summing to at most 1e18, dust below one wei per token) for `tokens`.
    /// @dev The reads and the hold/halt rules are `BasketReads.read`; the split is `WeightMath.cappedSplit` with the
    /// same cap for every token and no dust placement (IndexWeights.cappedMarketCap is the same split with the dust
    /// placed, summing to exactly 1e18). Besides `CapTooLow` it reverts with `LengthMismatch()` (BasketReads) and
    /// `NoMarketCap()` (WeightMath), the same errors (and selectors) it declared itself before they were shared.
    /// @param prices WAD price of one whole token (10**decimals native units) in the vault's unit of account.
    /// @param currentWeights the vault's current weights (WAD), kept for held tokens and on halt.
    /// @param capWad maximum weight of one token (WAD).
    function weights(address[] calldata tokens, uint256[] calldata prices, uint256[] calldata currentWeights, uint256 capWad)
        external
        view
        returns (uint256[] memory target, Action[] memory actions, bool halt)
    {
        BasketReads.Basket memory b =
            BasketReads.read(oracle, FreeFloatHistory(address(0)), 0, tokens, prices, currentWeights);
        if (b.halt) return (currentWeights, b.actions, true);
        if (b.live == 0) return (b.target, b.actions, false);
        uint256 budget = b.held < WAD ? WAD - b.held : 0;
        if (capWad * b.live < budget) revert CapTooLow(capWad, b.live, budget);
        uint256 n = tokens.length;
        uint256[] memory caps = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            caps[i] = capWad;
        }
        bool[] memory eligible = BasketReads.rebalancing(b);
        uint256[] memory w = WeightMath.cappedSplit(b.marketCap, caps, eligible, budget);
        for (uint256 i; i < n; ++i) {
            if (eligible[i]) b.target[i] = w[i];
        }
        return (b.target, b.actions, false);
    }
}
