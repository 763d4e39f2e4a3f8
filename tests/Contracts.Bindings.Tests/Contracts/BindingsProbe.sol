// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// A contract that exercises the bindings: structs with arrays and bytes, indexed and non-indexed event parameters,
/// custom errors, require messages, panics, multiple return values and state that changes per block.
contract BindingsProbe {
    struct Pair {
        address who;
        uint64[] amounts;
        bytes blob;
    }

    error TooLow(uint256 have, address who);
    error Nope();

    event ValueChanged(address indexed by, uint256 indexed previous, uint256 value, string note);
    event PairSeen(bytes32 indexed tag, Pair pair);

    uint256 public value;
    address public owner;

    constructor(uint256 initial) {
        value = initial;
        owner = msg.sender;
    }

    function setValue(uint256 newValue, string calldata note) external {
        if (newValue < 10) revert TooLow(newValue, msg.sender);
        emit ValueChanged(msg.sender, value, newValue, note);
        value = newValue;
    }

    function emitPair(bytes32 tag, Pair calldata pair) external {
        emit PairSeen(tag, pair);
    }

    function echoPair(Pair calldata pair) external pure returns (Pair memory) {
        return pair;
    }

    function sum(uint256[] calldata xs) external pure returns (uint256 total, uint256 count) {
        for (uint256 i = 0; i < xs.length; i++) total += xs[i];
        count = xs.length;
    }

    function describe(int32 x, bool flag, bytes4 tag) external pure returns (string memory, int32, bool, bytes4) {
        return ("probe", x, flag, tag);
    }

    function failNope() external pure {
        revert Nope();
    }

    function failRequire() external pure {
        require(false, "probe says no");
    }

    function failPanic(uint256 x) external pure returns (uint256) {
        return 10 / x;
    }
}
