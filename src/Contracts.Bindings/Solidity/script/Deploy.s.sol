// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {vm} from "../test/util/Vm.sol";
import {SupplyOracle} from "../src/SupplyOracle.sol";
import {ExcludedAddressRegistry} from "../src/registry/ExcludedAddressRegistry.sol";
import {IExcludedAddressRegistry} from "../src/registry/IExcludedAddressRegistry.sol";
import {Params} from "../src/oracle/OracleTypes.sol";

/// @title Deploy: ExcludedAddressRegistry + SupplyOracle with given parameters, optionally governed by a timelock
/// @notice `forge.sh script script/Deploy.s.sol --rpc-url URL --broadcast` with the environment:
///   PRIVATE_KEY (deployer, required), OWNER (default: deployer), GUARDIAN (default: OWNER), REPORTERS (comma list,
///   required), MIN_REPORTERS, ROUND_BLOCKS, DIVERGENCE_TOLERANCE_BPS, MIN_COMMIT_INTERVAL, MAX_FACTOR_DELTA_BPS,
///   WINDOW, MAX_WINDOW_DELTA_BPS, REPORT_STALE_AFTER, MAX_COMMIT_AGE, MAX_REPORT_AGE_BLOCKS (defaults: PROTOCOL.md
///   section 8), REGISTRY_DELAY (default 1 day), REGISTRY_GRACE (default 14 days), TIMELOCK_DELAY (default 0 = none).
/// With TIMELOCK_DELAY > 0 a TimelockController is deployed (proposer and canceller OWNER, executor anyone), both
/// contracts are handed to it (Ownable2Step: transferOwnership now, and, when the deployer is OWNER, the timelock's
/// acceptOwnership calls are scheduled; anyone executes them after TIMELOCK_DELAY).
contract Deploy {
    bool public constant IS_SCRIPT = true;

    struct Config {
        address owner;
        address guardian;
        address[] reporters;
        Params params;
        uint32 registryDelay;
        uint32 registryGrace;
        uint256 timelockDelay;
    }

    struct Deployment {
        ExcludedAddressRegistry registry;
        SupplyOracle oracle;
        TimelockController timelock;
    }

    /// @notice Entry point of `forge script`.
    function run() external returns (Deployment memory d) {
        uint256 key = vm.envUint("PRIVATE_KEY");
        address deployer = vm.addr(key);
        Config memory c = config(deployer);
        vm.startBroadcast(key);
        d = deploy(c, deployer);
        vm.stopBroadcast();
    }

    /// @notice The configuration from the environment (see the contract NatSpec).
    function config(address deployer) public view returns (Config memory c) {
        c.owner = vm.envOr("OWNER", deployer);
        c.guardian = vm.envOr("GUARDIAN", c.owner);
        c.reporters = vm.envOr("REPORTERS", ",", new address[](0));
        c.params = Params({
            roundBlocks: uint32(vm.envOr("ROUND_BLOCKS", uint256(300))),
            minReporters: uint8(vm.envOr("MIN_REPORTERS", uint256(3))),
            divergenceToleranceBps: uint16(vm.envOr("DIVERGENCE_TOLERANCE_BPS", uint256(200))),
            minCommitInterval: uint32(vm.envOr("MIN_COMMIT_INTERVAL", uint256(1 hours))),
            maxFactorDeltaBps: uint16(vm.envOr("MAX_FACTOR_DELTA_BPS", uint256(1000))),
            window: uint32(vm.envOr("WINDOW", uint256(1 days))),
            maxWindowDeltaBps: uint16(vm.envOr("MAX_WINDOW_DELTA_BPS", uint256(2500))),
            reportStaleAfter: uint32(vm.envOr("REPORT_STALE_AFTER", uint256(1 days))),
            maxCommitAge: uint32(vm.envOr("MAX_COMMIT_AGE", uint256(30 days))),
            maxReportAgeBlocks: uint16(vm.envOr("MAX_REPORT_AGE_BLOCKS", uint256(256))),
            heartbeat: uint32(vm.envOr("HEARTBEAT", uint256(12 hours))),
            supplyDeviationBps: uint16(vm.envOr("SUPPLY_DEVIATION_BPS", uint256(50)))
        });
        c.registryDelay = uint32(vm.envOr("REGISTRY_DELAY", uint256(1 days)));
        c.registryGrace = uint32(vm.envOr("REGISTRY_GRACE", uint256(14 days)));
        c.timelockDelay = vm.envOr("TIMELOCK_DELAY", uint256(0));
    }

    /// @notice Deploys and wires everything; `sender` is the account the calls come from (the broadcaster).
    function deploy(Config memory c, address sender) public returns (Deployment memory d) {
        // The deployer owns both contracts until the hand-over below, so the constructor arguments stay simple.
        d.registry = new ExcludedAddressRegistry(c.owner, c.guardian, c.registryDelay, c.registryGrace);
        d.oracle = new SupplyOracle(c.owner, c.guardian, IExcludedAddressRegistry(address(d.registry)), c.reporters, c.params);
        if (c.timelockDelay == 0) return d;

        address[] memory proposers = new address[](1);
        proposers[0] = c.owner;
        address[] memory executors = new address[](1); // address(0): anyone may execute a ready operation
        d.timelock = new TimelockController(c.timelockDelay, proposers, executors, address(0));
        if (sender != c.owner) return d; // the owner hands over later (transferOwnership + scheduled accept)
        d.oracle.transferOwnership(address(d.timelock));
        d.registry.transferOwnership(address(d.timelock));
        address[] memory targets = new address[](2);
        (targets[0], targets[1]) = (address(d.oracle), address(d.registry));
        uint256[] memory values = new uint256[](2);
        bytes[] memory payloads = new bytes[](2);
        payloads[0] = abi.encodeWithSignature("acceptOwnership()");
        payloads[1] = payloads[0];
        d.timelock.scheduleBatch(targets, values, payloads, bytes32(0), keccak256("supplyoracle.accept"), c.timelockDelay);
    }
}
