// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ISupplyOracle} from "../ISupplyOracle.sol";

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

    error LengthMismatch();
    /// @notice `capWad * (rebalancing tokens)` cannot cover the weight to distribute.
    error CapTooLow(uint256 capWad, uint256 tokens, uint256 budget);
    error NoMarketCap();

    constructor(ISupplyOracle oracle_) {
        oracle = oracle_;
    }

    /// @notice Target weights (WAD, summing to at most 1e18, dust below one wei per token) for `tokens`.
    /// @param prices WAD price of one whole token (10**decimals native units) in the vault's unit of account.
    /// @param currentWeights the vault's current weights (WAD), kept for held tokens and on halt.
    /// @param capWad maximum weight of one token (WAD).
    function weights(address[] calldata tokens, uint256[] calldata prices, uint256[] calldata currentWeights, uint256 capWad)
        external
        view
        returns (uint256[] memory target, Action[] memory actions, bool halt)
    {
        uint256 n = tokens.length;
        if (prices.length != n || currentWeights.length != n) revert LengthMismatch();
        target = new uint256[](n);
        actions = new Action[](n);
        uint256[] memory caps = new uint256[](n);
        uint256 budget = WAD;
        uint256 live;
        for (uint256 i; i < n; ++i) {
            (,, bool frozen, bool stale) = oracle.freeFloatFactor(tokens[i]);
            try oracle.committedFreeFloatSupply(tokens[i]) returns (uint256 supply) {
                if (frozen || stale) {
                    actions[i] = Action.Hold;
                    target[i] = currentWeights[i];
                    budget = budget > currentWeights[i] ? budget - currentWeights[i] : 0;
                } else {
                    caps[i] = Math.mulDiv(supply, prices[i], 10 ** uint256(IERC20Metadata(tokens[i]).decimals()));
                    ++live;
                }
            } catch {
                actions[i] = Action.Halt;
                halt = true;
            }
        }
        if (halt) return (currentWeights, actions, true);
        if (live == 0) return (target, actions, false);
        if (capWad * live < budget) revert CapTooLow(capWad, live, budget);
        _distribute(target, actions, caps, budget, capWad);
    }

    /// @dev Capped proportional split: repeatedly give every uncapped token its share of what is left; a token whose
    /// share exceeds the cap is fixed at the cap and the round restarts without it (at most n rounds).
    function _distribute(uint256[] memory target, Action[] memory actions, uint256[] memory mcap, uint256 budget, uint256 capWad)
        private
        pure
    {
        uint256 n = target.length;
        bool[] memory capped = new bool[](n);
        while (true) {
            uint256 total;
            for (uint256 i; i < n; ++i) {
                if (actions[i] == Action.Rebalance && !capped[i]) total += mcap[i];
            }
            if (total == 0) revert NoMarketCap();
            bool changed;
            for (uint256 i; i < n; ++i) {
                if (actions[i] != Action.Rebalance || capped[i]) continue;
                uint256 w = Math.mulDiv(budget, mcap[i], total);
                if (w > capWad) {
                    capped[i] = true;
                    target[i] = capWad;
                    budget -= capWad;
                    changed = true;
                    break;
                }
                target[i] = w;
            }
            if (!changed) return;
        }
    }
}
