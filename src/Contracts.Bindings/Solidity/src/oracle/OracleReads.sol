// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ISupplyOracle} from "../ISupplyOracle.sol";
import {OracleGovernance} from "./OracleGovernance.sol";
import {TokenWord} from "./TokenWord.sol";

/// @title OracleReads: the consumer reads of SupplyOracle (PROTOCOL.md section 9)
abstract contract OracleReads is ISupplyOracle, OracleGovernance {
    using TokenWord for uint256;

    uint256 private constant WAD = 1e18;

    /// @inheritdoc ISupplyOracle
    function freeFloatFactor(address token)
        external
        view
        returns (uint64 factor, uint40 committedAt, bool frozen, bool stale)
    {
        uint256 w = _word[token];
        frozen = w.has(TokenWord.FLAG_FROZEN) || w.has(TokenWord.FLAG_PAUSED) || _paused;
        if (!w.has(TokenWord.FLAG_INITIALIZED)) return (0, 0, frozen, true);
        (factor, committedAt) = _hot(w);
        stale = block.timestamp > uint256(committedAt) + _params.reportStaleAfter;
    }

    /// @inheritdoc ISupplyOracle
    function getFreeFloatSupply(address token) external view returns (uint256) {
        uint64 factor = _readable(token);
        uint256 live = registry.onChainCirculating(token);
        return Math.mulDiv(live / 10 ** uint256(_info[token].decimals), factor, WAD);
    }

    /// @inheritdoc ISupplyOracle
    function committedFreeFloatSupply(address token) external view returns (uint256) {
        uint64 factor = _readable(token);
        return uint256(_info[token].committedCirculating) * factor / WAD;
    }

    /// @dev The checks both supply reads share (PROTOCOL.md section 9); returns the committed factor.
    function _readable(address token) private view returns (uint64 factor) {
        uint256 w = _word[token];
        if (_paused || w.has(TokenWord.FLAG_PAUSED)) revert Paused();
        if (!w.has(TokenWord.FLAG_INITIALIZED)) revert NotInitialized(token);
        uint40 committedAt;
        (factor, committedAt) = _hot(w);
        uint32 maxAge = _params.maxCommitAge;
        if (block.timestamp > uint256(committedAt) + maxAge) revert CommitTooOld(token, committedAt, maxAge);
    }
}
