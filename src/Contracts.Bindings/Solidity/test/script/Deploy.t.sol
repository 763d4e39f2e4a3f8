// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../util/Test.sol";
import {vm} from "../util/Vm.sol";
import {Deploy} from "../../script/Deploy.s.sol";
import {Params} from "../../src/oracle/OracleTypes.sol";

/// @notice The deploy script's wiring, including the hand-over to a TimelockController.
contract DeployScriptTest is Test {
    function _config(Deploy script, uint256 timelockDelay) internal view returns (Deploy.Config memory c) {
        c = script.config(address(script));
        c.reporters = new address[](3);
        (c.reporters[0], c.reporters[1], c.reporters[2]) = (address(0x1), address(0x2), address(0x3));
        c.timelockDelay = timelockDelay;
    }

    function test_deploy_withoutTimelock_ownerAndParamsAsConfigured() public {
        Deploy script = new Deploy();
        Deploy.Config memory c = _config(script, 0);
        Deploy.Deployment memory d = script.deploy(c, address(script));
        assertEq(d.oracle.owner(), address(script), "oracle owner");
        assertEq(d.registry.owner(), address(script), "registry owner");
        assertEq(address(d.oracle.registry()), address(d.registry), "registry wired");
        assertEq(d.oracle.reporters().length, 3, "reporters");
        Params memory p = d.oracle.params();
        assertEq(p.roundBlocks, 300, "default roundBlocks");
        assertEq(d.registry.delay(), 1 days, "registry delay");
        assertEq(address(d.timelock), address(0), "no timelock");
    }

    function test_deploy_withTimelock_ownershipAcceptedAfterDelay() public {
        Deploy script = new Deploy();
        Deploy.Config memory c = _config(script, 2 days);
        Deploy.Deployment memory d = script.deploy(c, address(script));
        assertEq(d.oracle.pendingOwner(), address(d.timelock), "pending");
        address[] memory targets = new address[](2);
        (targets[0], targets[1]) = (address(d.oracle), address(d.registry));
        uint256[] memory values = new uint256[](2);
        bytes[] memory payloads = new bytes[](2);
        payloads[0] = abi.encodeWithSignature("acceptOwnership()");
        payloads[1] = payloads[0];
        vm.warp(block.timestamp + 2 days);
        d.timelock.executeBatch(targets, values, payloads, bytes32(0), keccak256("supplyoracle.accept"));
        assertEq(d.oracle.owner(), address(d.timelock), "oracle owned by timelock");
        assertEq(d.registry.owner(), address(d.timelock), "registry owned by timelock");
    }
}
