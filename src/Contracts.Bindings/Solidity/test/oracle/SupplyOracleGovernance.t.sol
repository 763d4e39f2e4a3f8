// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm} from "../util/Vm.sol";
import {SupplyOracle} from "../../src/SupplyOracle.sol";
import {OracleGovernance} from "../../src/oracle/OracleGovernance.sol";
import {IExcludedAddressRegistry} from "../../src/registry/IExcludedAddressRegistry.sol";
import {Params} from "../../src/oracle/OracleTypes.sol";
import {TestToken} from "../../src/testing/TestToken.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice Parameters (PROTOCOL.md section 8), reporter set, listing, roles.
contract SupplyOracleGovernanceTest is OracleFixture {
    function _expectInvalid(bytes32 name, uint256 value, Params memory p) internal {
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.InvalidParameter.selector, name, value));
        vm.prank(owner);
        oracle.setParams(p);
    }

    function test_setParams_eachRuleOfSection8_enforced() public {
        Params memory p = params();
        p.roundBlocks = 0;
        _expectInvalid("roundBlocks", 0, p);
        p = params();
        p.minReporters = 0;
        _expectInvalid("minReporters", 0, p);
        p.minReporters = 8; // 7 reporters
        _expectInvalid("minReporters", 8, p);
        p = params();
        p.divergenceToleranceBps = 10_001;
        _expectInvalid("divergenceToleranceBps", 10_001, p);
        p = params();
        p.minCommitInterval = 0;
        _expectInvalid("minCommitInterval", 0, p);
        p = params();
        p.maxFactorDeltaBps = 0;
        _expectInvalid("maxFactorDeltaBps", 0, p);
        p.maxFactorDeltaBps = 10_001;
        _expectInvalid("maxFactorDeltaBps", 10_001, p);
        p = params();
        p.window = 0;
        _expectInvalid("window", 0, p);
        p = params();
        p.maxWindowDeltaBps = 0;
        _expectInvalid("maxWindowDeltaBps", 0, p);
        p.maxWindowDeltaBps = 10_001;
        _expectInvalid("maxWindowDeltaBps", 10_001, p);
        p = params();
        p.maxCommitAge = p.reportStaleAfter - 1;
        _expectInvalid("maxCommitAge", p.maxCommitAge, p);
        p = params();
        p.maxReportAgeBlocks = 0;
        _expectInvalid("maxReportAgeBlocks", 0, p);
        p.maxReportAgeBlocks = 257;
        _expectInvalid("maxReportAgeBlocks", 257, p);
        p = params();
        p.heartbeat = p.minCommitInterval - 1;
        _expectInvalid("heartbeat", p.heartbeat, p);
        p.heartbeat = p.reportStaleAfter / 2 + 1;
        _expectInvalid("heartbeat", p.heartbeat, p);
        p = params();
        p.supplyDeviationBps = 10_001;
        _expectInvalid("supplyDeviationBps", 10_001, p);
    }

    /// @notice Section 8: heartbeat in minCommitInterval ..= reportStaleAfter / 2 (both bounds included, checked
    /// against the other parameters of the same call), supplyDeviationBps ..= 10_000 (0 allowed: any change commits).
    function testFuzz_setParams_heartbeatAndDeviation_validatedAgainstSection8(
        uint32 heartbeat,
        uint32 minCommitInterval,
        uint32 reportStaleAfter,
        uint16 deviation
    ) public {
        Params memory p = params();
        p.minCommitInterval = uint32(_bound(minCommitInterval, 1, 2 days));
        p.reportStaleAfter = uint32(_bound(reportStaleAfter, 0, 10 days));
        p.maxCommitAge = p.reportStaleAfter;
        p.heartbeat = uint32(_bound(heartbeat, 0, 6 days));
        p.supplyDeviationBps = uint16(_bound(deviation, 0, 20_000));
        bool heartbeatOk = p.heartbeat >= p.minCommitInterval && p.heartbeat <= p.reportStaleAfter / 2;
        vm.prank(owner);
        if (!heartbeatOk) {
            vm.expectRevert(abi.encodeWithSelector(OracleGovernance.InvalidParameter.selector, bytes32("heartbeat"), uint256(p.heartbeat)));
        } else if (p.supplyDeviationBps > 10_000) {
            vm.expectRevert(
                abi.encodeWithSelector(OracleGovernance.InvalidParameter.selector, bytes32("supplyDeviationBps"), uint256(p.supplyDeviationBps))
            );
        }
        oracle.setParams(p);
        if (heartbeatOk && p.supplyDeviationBps <= 10_000) {
            assertEq(oracle.params().heartbeat, p.heartbeat, "heartbeat stored");
            assertEq(oracle.params().supplyDeviationBps, p.supplyDeviationBps, "supplyDeviationBps stored");
            assertEq(oracle.params().minCommitInterval, p.minCommitInterval, "first slot intact");
        }
    }

    function _bound(uint256 x, uint256 lo, uint256 hi) private pure returns (uint256) {
        return lo + x % (hi - lo + 1);
    }

    function test_setParams_heartbeatBounds_inclusive() public {
        Params memory p = params();
        p.heartbeat = p.minCommitInterval;
        p.supplyDeviationBps = 0;
        vm.prank(owner);
        oracle.setParams(p);
        assertEq(oracle.params().heartbeat, p.minCommitInterval, "lower bound");
        p.heartbeat = p.reportStaleAfter / 2;
        p.supplyDeviationBps = 10_000;
        vm.prank(owner);
        oracle.setParams(p);
        assertEq(oracle.params().heartbeat, p.reportStaleAfter / 2, "upper bound");
        assertEq(oracle.params().supplyDeviationBps, 10_000, "deviation upper bound");
    }

    /// @notice The constructor validates like setParams (same path).
    function test_constructor_invalidHeartbeat_reverts() public {
        Params memory p = params();
        p.heartbeat = 0;
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.InvalidParameter.selector, bytes32("heartbeat"), uint256(0)));
        new SupplyOracle(owner, guardian, IExcludedAddressRegistry(address(registry)), signers, p);
    }

    function test_setParams_valid_storedAndEmitted() public {
        Params memory p = params();
        p.minReporters = 7;
        p.maxReportAgeBlocks = 1;
        vm.expectEmit(false, false, false, true, address(oracle));
        emit OracleGovernance.ParamsSet(p);
        vm.prank(owner);
        oracle.setParams(p);
        assertEq(oracle.params().minReporters, 7, "minReporters");
        assertEq(oracle.params().maxReportAgeBlocks, 1, "maxReportAgeBlocks");
    }

    function test_setParams_notOwner_reverts() public {
        Params memory p = params();
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, guardian));
        vm.prank(guardian);
        oracle.setParams(p);
    }

    function test_defaultParams_matchSection8() public view {
        Params memory d = oracle.defaultParams();
        assertEq(d.roundBlocks, 300, "roundBlocks");
        assertEq(d.minReporters, 3, "minReporters");
        assertEq(d.divergenceToleranceBps, 200, "divergence");
        assertEq(d.minCommitInterval, 3600, "minCommitInterval");
        assertEq(d.maxFactorDeltaBps, 1000, "maxFactorDeltaBps");
        assertEq(d.window, 86400, "window");
        assertEq(d.maxWindowDeltaBps, 2500, "maxWindowDeltaBps");
        assertEq(d.reportStaleAfter, 86400, "reportStaleAfter");
        assertEq(d.maxCommitAge, 30 days, "maxCommitAge");
        assertEq(d.maxReportAgeBlocks, 256, "maxReportAgeBlocks");
        assertEq(d.heartbeat, 12 hours, "heartbeat");
        assertEq(d.supplyDeviationBps, 50, "supplyDeviationBps");
    }

    function test_addReporter_zeroDuplicateOrBeyond31_reverts() public {
        vm.startPrank(owner);
        vm.expectRevert(OracleGovernance.ZeroAddress.selector);
        oracle.addReporter(address(0));
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.ReporterAlreadyRegistered.selector, signers[0]));
        oracle.addReporter(signers[0]);
        for (uint256 i = 1; i <= 24; ++i) {
            oracle.addReporter(address(uint160(0x1000 + i)));
        }
        assertEq(oracle.reporters().length, 31, "full");
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.TooManyReporters.selector, uint256(31)));
        oracle.addReporter(address(0x2000));
        vm.stopPrank();
    }

    function test_removeReporter_belowQuorumOrUnknown_revertsOtherwiseRemoves() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.ReporterNotRegistered.selector, address(0x99)));
        oracle.removeReporter(address(0x99));
        for (uint256 i; i < 4; ++i) {
            oracle.removeReporter(signers[i]);
        }
        assertTrue(!oracle.isReporter(signers[0]), "removed");
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.WouldBreakQuorum.selector, uint256(2), uint8(3)));
        oracle.removeReporter(signers[4]);
        vm.stopPrank();
    }

    /// @notice PROTOCOL.md section 6 (issue 18 item 4): a reporter removed between attesting and the commit does not
    /// sink the round; its well-formed signature is skipped and the other signatures are counted.
    function test_commit_removedReporterSignature_skippedAndRestCounted() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory u = upd(tok(0), 1e24, 0.5e18, 0);
        bytes memory s = sigs(digestOf(r, t, h, u), 4); // attested while all 4 were registered
        vm.prank(owner);
        oracle.removeReporter(signers[0]);
        oracle.commit(r, t, h, u, s);
        assertEq(oracle.lastRound(), r, "committed with 3 registered signers");
        assertEq(oracle.tokenState(tok(0)).factor, 0.5e18, "factor stored");
    }

    /// @notice The skipped signature does not count: with it, fewer than minReporters remain.
    function test_commit_removedReporterSignature_notCountedTowardsQuorum() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory u = upd(tok(0), 1e24, 0.5e18, 0);
        bytes memory s = sigs(digestOf(r, t, h, u), 3);
        vm.prank(owner);
        oracle.removeReporter(signers[1]);
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.InsufficientSignatures.selector, uint256(2), uint8(3)));
        oracle.commit(r, t, h, u, s);
    }

    function test_listToken_twiceNoCodeOrHugeDecimals_reverts() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.TokenAlreadyListed.selector, tok(0)));
        oracle.listToken(tok(0));
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.UnsupportedToken.selector, address(0x1234)));
        oracle.listToken(address(0x1234));
        TestToken weird = new TestToken("W", "W", 78, owner);
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.UnsupportedToken.selector, address(weird)));
        oracle.listToken(address(weird));
        vm.stopPrank();
    }

    function test_delistToken_erasesStateAndUnlists() public {
        commitNext(0, upd(tok(0), 1e24, 0.5e18, 0), 3);
        vm.prank(owner);
        oracle.delistToken(tok(0));
        assertTrue(!oracle.tokenState(tok(0)).listed && !oracle.tokenState(tok(0)).initialized, "erased");
        assertEq(oracle.listedTokens().length, 2, "two left");
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.TokenNotListed.selector, tok(0)));
        vm.prank(owner);
        oracle.delistToken(tok(0));
    }

    function test_pause_onlyGuardian_unpause_onlyOwner() public {
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.NotGuardian.selector, owner));
        vm.prank(owner);
        oracle.pause();
        vm.prank(guardian);
        oracle.pause();
        assertTrue(oracle.paused(), "paused");
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, guardian));
        vm.prank(guardian);
        oracle.unpause();
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.NotGuardian.selector, owner));
        vm.prank(owner);
        oracle.pauseToken(tok(0));
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.TokenNotListed.selector, address(0x55)));
        vm.prank(guardian);
        oracle.pauseToken(address(0x55));
    }

    function test_ownership_twoStepAndRenounceDisabled() public {
        vm.prank(owner);
        oracle.transferOwnership(address(0xB0B));
        assertEq(oracle.owner(), owner, "still owner until accepted");
        vm.prank(address(0xB0B));
        oracle.acceptOwnership();
        assertEq(oracle.owner(), address(0xB0B), "accepted");
        vm.expectRevert(OracleGovernance.RenounceDisabled.selector);
        vm.prank(address(0xB0B));
        oracle.renounceOwnership();
    }

    function test_constructor_tooFewReportersForQuorum_reverts() public {
        address[] memory two = new address[](2);
        two[0] = address(1);
        two[1] = address(2);
        vm.expectRevert(abi.encodeWithSelector(OracleGovernance.InvalidParameter.selector, bytes32("minReporters"), uint256(3)));
        new SupplyOracle(owner, guardian, IExcludedAddressRegistry(address(registry)), two, params());
    }

    function test_setGuardian_zero_reverts() public {
        vm.expectRevert(OracleGovernance.ZeroAddress.selector);
        vm.prank(owner);
        oracle.setGuardian(address(0));
    }
}
