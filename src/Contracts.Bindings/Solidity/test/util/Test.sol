// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm, vm} from "./Vm.sol";

/// @notice Minimal assertion helpers (the project does not use forge-std): a failed assertion reverts with a
/// message naming both values, which forge reports as the test's failure.
abstract contract Test {
    error AssertionFailed(string what, bytes32 left, bytes32 right);

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) revert AssertionFailed(what, bytes32(a), bytes32(b));
    }

    function assertEq(bytes32 a, bytes32 b, string memory what) internal pure {
        if (a != b) revert AssertionFailed(what, a, b);
    }

    function assertEq(address a, address b, string memory what) internal pure {
        if (a != b) revert AssertionFailed(what, bytes32(uint256(uint160(a))), bytes32(uint256(uint160(b))));
    }

    function assertTrue(bool c, string memory what) internal pure {
        if (!c) revert AssertionFailed(what, bytes32(uint256(1)), bytes32(0));
    }

    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        if (a > b) revert AssertionFailed(what, bytes32(a), bytes32(b));
    }

    /// @dev Counts the recorded logs of `emitter` whose first topic is `sig`.
    function countLogs(Vm.Log[] memory logs, address emitter, bytes32 sig) internal pure returns (uint256 n) {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == emitter && logs[i].topics.length > 0 && logs[i].topics[0] == sig) ++n;
        }
    }
}
