// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISupplyOracle} from "../../ISupplyOracle.sol";

/// @title RebalanceGuard: the README "Consumer guide" snippet, compiled and tested by forge
/// @notice The lines between the two "README snippet" markers appear verbatim in README.md; a .NET test
/// (tests/Deploy.Tests, Docs) keeps them identical. FreeFloatWeights (src/consumer) is the complete reference consumer.
contract RebalanceGuard {
    // README snippet begin
    ISupplyOracle public immutable oracle;

    /// @notice The oracle does not vouch for `token` now: keep its current weight, do not trade it.
    error DoNotRebalance(address token, bool frozen, bool stale);

    constructor(ISupplyOracle oracle_) {
        oracle = oracle_;
    }

    /// @notice Free-float supply of `token` (native units) that a rebalance may use.
    function rebalanceSupply(address token) public view returns (uint256 supply) {
        // Never reverts. frozen: the reporters dispute the token, or it is paused. stale: never committed, or no
        // commit within reportStaleAfter. Either way the factor is not fresh, undisputed data.
        (,, bool frozen, bool stale) = oracle.freeFloatFactor(token);
        if (frozen || stale) revert DoNotRebalance(token, frozen, stale);
        // Fixed at the round's reference block, so a flash loan in this transaction cannot move it. Reverts with
        // Paused(), NotInitialized(token) or CommitTooOld(token, committedAt, maxCommitAge): never turn these
        // into a default value; let the rebalance halt.
        supply = oracle.committedFreeFloatSupply(token);
    }
    // README snippet end
}
