// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ISupplyOracle} from "../../ISupplyOracle.sol";
import {FreeFloatWeights} from "../FreeFloatWeights.sol";
import {FreeFloatHistory} from "../FreeFloatHistory.sol";
import {WeightMath} from "./WeightMath.sol";

/// @title BasketReads: what every weighting methodology reads from the oracle, and what it must do with it
/// @notice PROTOCOL.md section 9, the rules of the reference consumer `FreeFloatWeights`, shared by all methodologies:
///  - `freeFloatFactor` (never reverts): a `frozen` (disputed or paused) or `stale` token is held at its current
///    weight (`Action.Hold`): the vault must not trade it on data the reporters dispute or stopped refreshing;
///  - `committedFreeFloatSupply` (fixed at the round's reference block, so a flash loan cannot move it): when it
///    reverts (`Paused`, `NotInitialized`, `CommitTooOld`) the token is unserved and the whole rebalance halts
///    (`Action.Halt`, `halt`); never a default value;
///  - for the averaged variants the market cap uses the token's time-weighted average committed supply from a
///    `FreeFloatHistory`; a history that cannot answer (too short, not poked since the last commit) halts too.
library BasketReads {
    /// @notice The oracle's view of a basket, before any methodology.
    struct Basket {
        FreeFloatWeights.Action[] actions;
        /// @dev The current weight of each held token, 0 elsewhere; the methodologies fill the Rebalance tokens.
        uint256[] target;
        /// @dev Free-float market cap (WAD unit of account) of each Rebalance token, 0 elsewhere.
        uint256[] marketCap;
        /// @dev Sum of the held tokens' current weights.
        uint256 held;
        /// @dev Number of Rebalance tokens.
        uint256 live;
        bool halt;
    }

    error LengthMismatch();

    /// @notice Reads `tokens` at their committed free-float supply (`history` = 0) or at its time-weighted average over
    /// `window` seconds from `history`.
    /// @param prices WAD price of one whole token (10**decimals native units) in the vault's unit of account.
    /// @param currentWeights the vault's current weights (WAD), kept for held tokens and on halt.
    function read(
        ISupplyOracle oracle,
        FreeFloatHistory history,
        uint256 window,
        address[] calldata tokens,
        uint256[] calldata prices,
        uint256[] calldata currentWeights
    ) internal view returns (Basket memory b) {
        uint256 n = tokens.length;
        if (prices.length != n || currentWeights.length != n) revert LengthMismatch();
        b.actions = new FreeFloatWeights.Action[](n);
        b.target = new uint256[](n);
        b.marketCap = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            address token = tokens[i];
            (,, bool frozen, bool stale) = oracle.freeFloatFactor(token);
            try oracle.committedFreeFloatSupply(token) returns (uint256 supply) {
                if (frozen || stale) {
                    b.actions[i] = FreeFloatWeights.Action.Hold;
                    b.target[i] = currentWeights[i];
                    b.held += currentWeights[i];
                    continue;
                }
                if (address(history) != address(0)) {
                    try history.averageSupply(token, window) returns (uint256 average) {
                        supply = average;
                    } catch {
                        b.actions[i] = FreeFloatWeights.Action.Halt;
                        b.halt = true;
                        continue;
                    }
                }
                b.marketCap[i] = WeightMath.marketCap(supply, prices[i], IERC20Metadata(token).decimals());
                ++b.live;
            } catch {
                b.actions[i] = FreeFloatWeights.Action.Halt;
                b.halt = true;
            }
        }
    }

    /// @notice `eligible[i]` = token i rebalances this round.
    function rebalancing(Basket memory b) internal pure returns (bool[] memory eligible) {
        uint256 n = b.actions.length;
        eligible = new bool[](n);
        for (uint256 i; i < n; ++i) {
            eligible[i] = b.actions[i] == FreeFloatWeights.Action.Rebalance;
        }
    }
}
