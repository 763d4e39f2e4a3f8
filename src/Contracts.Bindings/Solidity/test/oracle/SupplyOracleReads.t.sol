// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm} from "../util/Vm.sol";
import {ISupplyOracle} from "../../src/ISupplyOracle.sol";
import {ExcludedAddressRegistry} from "../../src/registry/ExcludedAddressRegistry.sol";

/// @notice The three reads of PROTOCOL.md section 9 and the pauses that gate them.
contract SupplyOracleReadsTest is OracleFixture {
    function _commit(uint128 circ, uint64 factor) internal returns (uint64 t) {
        (, t) = commitNext(0, upd(tok(0), circ, factor, 0), 3);
    }

    function test_freeFloatFactor_neverCommitted_zeroAndStaleWithoutRevert() public view {
        (uint64 f, uint40 cAt, bool frozen, bool stale) = oracle.freeFloatFactor(tok(0));
        assertEq(f, 0, "factor");
        assertEq(cAt, 0, "committedAt");
        assertTrue(!frozen && stale, "flags");
        oracle.freeFloatFactor(address(0xDEAD)); // unlisted: no revert either
    }

    function test_freeFloatFactor_staleAfterReportStaleAfter() public {
        uint64 t = _commit(1e24, 0.6e18);
        vm.warp(t + 1 days);
        (uint64 f, uint40 cAt,, bool stale) = oracle.freeFloatFactor(tok(0));
        assertEq(f, 0.6e18, "factor");
        assertEq(cAt, t, "committedAt");
        assertTrue(!stale, "fresh at exactly reportStaleAfter");
        vm.warp(t + 1 days + 1);
        (,,, stale) = oracle.freeFloatFactor(tok(0));
        assertTrue(stale, "stale after");
    }

    function test_committedFreeFloatSupply_isCirculatingTimesFactor() public {
        _commit(1_000_000e18 + 7, 0.35e18);
        assertEq(oracle.committedFreeFloatSupply(tok(0)), uint256(1_000_000e18 + 7) * 0.35e18 / 1e18, "native units");
    }

    function test_getFreeFloatSupply_usesLiveCirculatingWholeTokens() public {
        // Live: total 1,000,000e18 minted in setUp minus an excluded treasury holding 250,000.5 tokens.
        address treasury = address(0x7EA5);
        tokens[0].transfer(treasury, 250_000.5e18);
        vm.prank(owner);
        uint256 id = registry.propose(tok(0), treasury, ExcludedAddressRegistry.Op.Add, "treasury", keccak256("doc"));
        vm.warp(block.timestamp + 1 hours);
        clock = block.timestamp;
        registry.execute(id);
        _commit(123, 0.3e18);
        // floor(floor(749,999.5e18 / 1e18) * 0.3e18 / 1e18) = floor(749,999 * 0.3) = 224,999
        assertEq(oracle.getFreeFloatSupply(tok(0)), 224_999, "whole tokens");
    }

    function test_supplyReads_neverCommitted_revertNotInitialized() public {
        vm.expectRevert(abi.encodeWithSelector(ISupplyOracle.NotInitialized.selector, tok(0)));
        oracle.committedFreeFloatSupply(tok(0));
        vm.expectRevert(abi.encodeWithSelector(ISupplyOracle.NotInitialized.selector, tok(0)));
        oracle.getFreeFloatSupply(tok(0));
    }

    function test_supplyReads_pastMaxCommitAge_revertCommitTooOld() public {
        uint64 t = _commit(1e24, 0.5e18);
        vm.warp(t + 30 days);
        oracle.committedFreeFloatSupply(tok(0)); // at exactly maxCommitAge: served
        vm.warp(t + 30 days + 1);
        vm.expectRevert(abi.encodeWithSelector(ISupplyOracle.CommitTooOld.selector, tok(0), uint40(t), uint32(30 days)));
        oracle.committedFreeFloatSupply(tok(0));
        vm.expectRevert(abi.encodeWithSelector(ISupplyOracle.CommitTooOld.selector, tok(0), uint40(t), uint32(30 days)));
        oracle.getFreeFloatSupply(tok(0));
    }

    function test_supplyReads_globalPause_revertPausedUntilOwnerUnpauses() public {
        _commit(1e24, 0.5e18);
        vm.prank(guardian);
        oracle.pause();
        vm.expectRevert(ISupplyOracle.Paused.selector);
        oracle.committedFreeFloatSupply(tok(0));
        vm.expectRevert(ISupplyOracle.Paused.selector);
        oracle.getFreeFloatSupply(tok(0));
        (,, bool frozen,) = oracle.freeFloatFactor(tok(0));
        assertTrue(frozen, "paused shows as frozen");
        vm.prank(owner);
        oracle.unpause();
        assertEq(oracle.committedFreeFloatSupply(tok(0)), 0.5e24, "served again");
    }

    function test_supplyReads_tokenPause_revertPausedForThatTokenOnly() public {
        _commit(1e24, 0.5e18);
        vm.prank(guardian);
        oracle.pauseToken(tok(0));
        vm.expectRevert(ISupplyOracle.Paused.selector);
        oracle.committedFreeFloatSupply(tok(0));
        vm.prank(owner);
        oracle.unpauseToken(tok(0));
        assertEq(oracle.committedFreeFloatSupply(tok(0)), 0.5e24, "served again");
    }

    function test_getFreeFloatSupply_excludedExceedsSupply_revertsFromRegistry() public {
        _commit(1e24, 0.5e18);
        address vest = address(0x7E57);
        tokens[0].transfer(vest, 10e18);
        vm.prank(owner);
        uint256 id = registry.propose(tok(0), vest, ExcludedAddressRegistry.Op.Add, "vesting", bytes32(0));
        vm.warp(block.timestamp + 1 hours);
        registry.execute(id);
        assertEq(registry.onChainCirculating(tok(0)), 1_000_000e18 - 10e18, "live circulating");
    }
}
