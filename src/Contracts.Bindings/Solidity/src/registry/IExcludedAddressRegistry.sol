// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IExcludedAddressRegistry: the reads reporters and the oracle make (PROTOCOL.md sections 4 and 10)
interface IExcludedAddressRegistry {
    /// @notice `totalSupply - sum(excluded balances)` of `token` in native units; reverts when the excluded sum
    /// exceeds the total supply or the token has no code.
    function onChainCirculating(address token) external view returns (uint256);

    /// @notice The excluded addresses of `token`, in insertion order, with their kind and evidence hash.
    function excludedOf(address token)
        external
        view
        returns (address[] memory accounts, bytes32[] memory kinds, bytes32[] memory evidence);
}
