// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../util/Test.sol";
import {vm} from "../util/Vm.sol";
import {ExcludedAddressRegistry} from "../../src/registry/ExcludedAddressRegistry.sol";
import {TestToken} from "../../src/testing/TestToken.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice ExcludedAddressRegistry, PROTOCOL.md section 10.
contract ExcludedAddressRegistryTest is Test {
    address internal owner = address(0x0A11CE);
    address internal guardian = address(0x6A4D);
    ExcludedAddressRegistry internal reg;
    TestToken internal token;
    /// @dev Tracked clock: via-IR may fold repeated `block.timestamp` reads inside one test, so warps use this.
    uint256 internal clock = 1_700_000_000;

    function _warp(uint256 dt) internal {
        clock += dt;
        vm.warp(clock);
    }

    function setUp() public {
        vm.warp(clock);
        reg = new ExcludedAddressRegistry(owner, guardian, 1 hours, 14 days);
        token = new TestToken("T", "T", 6, address(this));
        token.mint(address(this), 1_000_000e6);
    }

    function _propose(address account, ExcludedAddressRegistry.Op op, bytes32 kind) internal returns (uint256 id) {
        vm.prank(owner);
        id = reg.propose(address(token), account, op, kind, keccak256(abi.encode(account)));
    }

    function _add(address account, bytes32 kind) internal {
        uint256 id = _propose(account, ExcludedAddressRegistry.Op.Add, kind);
        _warp(1 hours);
        reg.execute(id);
    }

    function test_propose_emitsEventWithEtaAndExpiry() public {
        uint40 eta = uint40(clock + 1 hours);
        vm.expectEmit(true, true, true, true, address(reg));
        emit ExcludedAddressRegistry.ChangeProposed(
            1, address(token), address(0xA), ExcludedAddressRegistry.Op.Add, "team", keccak256(abi.encode(address(0xA))), eta, eta + 14 days
        );
        _propose(address(0xA), ExcludedAddressRegistry.Op.Add, "team");
    }

    function test_propose_notOwner_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, guardian));
        vm.prank(guardian);
        reg.propose(address(token), address(0xA), ExcludedAddressRegistry.Op.Add, "team", 0);
    }

    function test_propose_unknownKindOrZeroAddress_reverts() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.UnknownKind.selector, bytes32("whale")));
        reg.propose(address(token), address(0xA), ExcludedAddressRegistry.Op.Add, "whale", 0);
        vm.expectRevert(ExcludedAddressRegistry.ZeroAddress.selector);
        reg.propose(address(token), address(0), ExcludedAddressRegistry.Op.Add, "burn", 0);
        vm.stopPrank();
    }

    function test_execute_beforeDelay_revertsThenAnyoneExecutes() public {
        uint256 id = _propose(address(0xA), ExcludedAddressRegistry.Op.Add, "vesting");
        uint40 eta = uint40(clock + 1 hours);
        _warp(1 hours - 1);
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.ProposalNotReady.selector, id, eta));
        reg.execute(id);
        _warp(1);
        vm.expectEmit(true, true, true, true, address(reg));
        emit ExcludedAddressRegistry.ChangeExecuted(id, address(token), address(0xA), ExcludedAddressRegistry.Op.Add);
        vm.prank(address(0xC0FFEE)); // anyone
        reg.execute(id);
        (bool excluded, bytes32 kind, bytes32 evidence) = reg.exclusion(address(token), address(0xA));
        assertTrue(excluded, "excluded");
        assertEq(kind, bytes32("vesting"), "kind");
        assertEq(evidence, keccak256(abi.encode(address(0xA))), "evidence");
    }

    function test_execute_afterGrace_revertsExpired() public {
        uint256 id = _propose(address(0xA), ExcludedAddressRegistry.Op.Add, "team");
        uint40 expiresAt = uint40(clock + 1 hours + 14 days);
        vm.warp(expiresAt);
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.ProposalExpired.selector, id, expiresAt));
        reg.execute(id);
    }

    function test_cancel_byOwnerOrGuardianOnly_thenNotExecutable() public {
        uint256 a = _propose(address(0xA), ExcludedAddressRegistry.Op.Add, "team");
        uint256 b = _propose(address(0xB), ExcludedAddressRegistry.Op.Add, "team");
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.NotOwnerOrGuardian.selector, address(0xBAD)));
        vm.prank(address(0xBAD));
        reg.cancel(a);
        vm.expectEmit(true, true, false, false, address(reg));
        emit ExcludedAddressRegistry.ChangeCancelled(a, guardian);
        vm.prank(guardian);
        reg.cancel(a);
        vm.prank(owner);
        reg.cancel(b);
        _warp(1 hours);
        vm.expectRevert(
            abi.encodeWithSelector(ExcludedAddressRegistry.ProposalNotPending.selector, a, ExcludedAddressRegistry.State.Cancelled)
        );
        reg.execute(a);
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.UnknownProposal.selector, uint256(99)));
        reg.execute(99);
    }

    function test_execute_twice_revertsNotPending() public {
        uint256 id = _propose(address(0xA), ExcludedAddressRegistry.Op.Add, "team");
        _warp(1 hours);
        reg.execute(id);
        vm.expectRevert(
            abi.encodeWithSelector(ExcludedAddressRegistry.ProposalNotPending.selector, id, ExcludedAddressRegistry.State.Executed)
        );
        reg.execute(id);
    }

    function test_add_at64_revertsTooMany_andDuplicateReverts() public {
        for (uint256 i = 1; i <= 64; ++i) {
            _add(address(uint160(0x1000 + i)), "other");
        }
        assertEq(reg.excludedCount(address(token)), 64, "64 excluded");
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.TooManyExcluded.selector, address(token), uint256(64)));
        _propose(address(0x9999), ExcludedAddressRegistry.Op.Add, "other");
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.AlreadyExcluded.selector, address(token), address(0x1001)));
        _propose(address(0x1001), ExcludedAddressRegistry.Op.Add, "other");
    }

    function test_execute_conflictingProposals_secondRevalidatedAtExecution() public {
        uint256 a = _propose(address(0xA), ExcludedAddressRegistry.Op.Add, "team");
        uint256 b = _propose(address(0xA), ExcludedAddressRegistry.Op.Add, "bridge");
        _warp(1 hours);
        reg.execute(a);
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.AlreadyExcluded.selector, address(token), address(0xA)));
        reg.execute(b);
    }

    function test_removeAndUpdate_changeListAndKinds() public {
        _add(address(0xA), "team");
        _add(address(0xB), "treasury");
        _add(address(0xC), "burn");
        uint256 rm = _propose(address(0xA), ExcludedAddressRegistry.Op.Remove, 0);
        uint256 up = _propose(address(0xC), ExcludedAddressRegistry.Op.Update, "exchange-cold");
        _warp(1 hours);
        reg.execute(rm);
        reg.execute(up);
        (address[] memory accounts, bytes32[] memory kinds,) = reg.excludedOf(address(token));
        assertEq(accounts.length, 2, "two left");
        assertEq(accounts[0], address(0xC), "last moved into the hole");
        assertEq(kinds[0], bytes32("exchange-cold"), "updated kind");
        assertEq(accounts[1], address(0xB), "B");
        assertEq(kinds[1], bytes32("treasury"), "B kind");
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.NotExcluded.selector, address(token), address(0xA)));
        _propose(address(0xA), ExcludedAddressRegistry.Op.Remove, 0);
    }

    function test_onChainCirculating_totalMinusExcludedBalances() public {
        token.transfer(address(0xA), 100_000e6);
        token.transfer(address(0xB), 50_000e6 + 1);
        _add(address(0xA), "team");
        _add(address(0xB), "vesting");
        assertEq(reg.onChainCirculating(address(token)), 1_000_000e6 - 150_000e6 - 1, "circulating");
    }

    function test_onChainCirculating_noCode_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.TokenHasNoCode.selector, address(0x1234)));
        reg.onChainCirculating(address(0x1234));
    }

    function test_onChainCirculating_excludedExceedsTotal_reverts() public {
        // A token whose balances can exceed its reported total supply (rebasing or buggy): mock it with etch.
        BrokenSupply broken = new BrokenSupply();
        vm.prank(owner);
        uint256 id = reg.propose(address(broken), address(0xA), ExcludedAddressRegistry.Op.Add, "other", 0);
        _warp(1 hours);
        reg.execute(id);
        vm.expectRevert(
            abi.encodeWithSelector(ExcludedAddressRegistry.ExcludedExceedsSupply.selector, address(broken), uint256(10), uint256(11))
        );
        reg.onChainCirculating(address(broken));
    }

    function test_setDelayAndGrace_bounds() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.DelayOutOfBounds.selector, uint32(1 hours - 1)));
        reg.setDelay(1 hours - 1);
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.DelayOutOfBounds.selector, uint32(30 days + 1)));
        reg.setDelay(30 days + 1);
        reg.setDelay(30 days);
        assertEq(reg.delay(), 30 days, "delay");
        vm.expectRevert(abi.encodeWithSelector(ExcludedAddressRegistry.GraceOutOfBounds.selector, uint32(0)));
        reg.setGrace(0);
        vm.expectRevert(ExcludedAddressRegistry.RenounceDisabled.selector);
        reg.renounceOwnership();
        vm.stopPrank();
    }
}

/// @dev totalSupply 10, every balance 11.
contract BrokenSupply {
    function totalSupply() external pure returns (uint256) {
        return 10;
    }

    function balanceOf(address) external pure returns (uint256) {
        return 11;
    }
}
