// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm} from "../util/Vm.sol";

/// @notice The contract's EIP-712 digests (PROTOCOL.md section 7) against Foundry's `cast wallet sign --data`, an
/// independent EIP-712 implementation: ECDSA signatures are deterministic (RFC 6979), so cast's signature over the
/// typed data equals vm.sign's over the contract's digest iff the two digests are equal.
contract Eip712CastTest is OracleFixture {
    function _castSign(uint256 key, string memory json) internal returns (bytes memory) {
        string[] memory cmd = new string[](4);
        cmd[0] = "bash";
        cmd[1] = "test/ffi/cast-sign-typed-data.sh";
        cmd[2] = vm.toString(bytes32(key));
        cmd[3] = json;
        return vm.ffi(cmd);
    }

    function _typed(string memory primary, string memory fields, string memory message) internal view returns (string memory) {
        return string.concat(
            '{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},',
            '{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],"',
            primary,
            '":',
            fields,
            '},"primaryType":"',
            primary,
            '","domain":{"name":"SupplyOracle","version":"1","chainId":',
            vm.toString(block.chainid),
            ',"verifyingContract":"',
            vm.toString(address(oracle)),
            '"},"message":',
            message,
            "}"
        );
    }

    function _fields(string memory last) internal pure returns (string memory) {
        return string.concat(
            '[{"name":"round","type":"uint64"},{"name":"referenceBlock","type":"uint64"},',
            '{"name":"referenceTime","type":"uint64"},{"name":"referenceHash","type":"bytes32"},{"name":"',
            last,
            '","type":"bytes"}]'
        );
    }

    function _message(uint64 r, uint64 b, uint64 t, bytes32 h, string memory last, bytes memory data)
        internal
        pure
        returns (string memory)
    {
        return string.concat(
            '{"round":"', vm.toString(uint256(r)), '","referenceBlock":"', vm.toString(uint256(b)),
            '","referenceTime":"', vm.toString(uint256(t)), '","referenceHash":"', vm.toString(h), '","', last,
            '":"', vm.toString(data), '"}'
        );
    }

    function test_reportDigest_equalsCastTypedDataHash() public {
        bytes memory updates = bytes.concat(
            upd(tok(0), 123_456_789e18, 0.85e18, 0), upd(tok(1), 1, 1, 1), upd(tok(2), type(uint128).max, 1e18, 2)
        );
        (uint64 r, uint64 b, uint64 t, bytes32 h) = (42, 420, 1_700_000_123, keccak256("ref"));
        bytes32 digest = oracle.reportDigest(r, b, t, h, updates);
        bytes memory fromCast = _castSign(keys[0], _typed("Report", _fields("updates"), _message(r, b, t, h, "updates", updates)));
        assertEq(keccak256(fromCast), keccak256(sig(keys[0], digest)), "cast signature == signature over contract digest");
    }

    function test_observationBatchDigest_equalsCastTypedDataHash() public {
        bytes memory observations = bytes.concat(
            abi.encodePacked(tok(0), uint256(1e27), uint64(0.5e18)), abi.encodePacked(tok(1), uint256(7), uint64(1))
        );
        (uint64 r, uint64 b, uint64 t, bytes32 h) = (type(uint64).max, 300, 0, bytes32(0));
        bytes32 digest = oracle.observationBatchDigest(r, b, t, h, observations);
        bytes memory fromCast = _castSign(
            keys[1], _typed("ObservationBatch", _fields("observations"), _message(r, b, t, h, "observations", observations))
        );
        assertEq(keccak256(fromCast), keccak256(sig(keys[1], digest)), "cast signature == signature over contract digest");
    }

    function test_castSignedReport_isAcceptedByCommit() public {
        bytes memory updates = upd(tok(0), 1e24, 0.5e18, 0);
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        string memory json = _typed("Report", _fields("updates"), _message(r, r * ROUND_BLOCKS, t, h, "updates", updates));
        bytes memory s = bytes.concat(_castSign(keys[0], json), _castSign(keys[1], json), _castSign(keys[2], json));
        oracle.commit(r, t, h, updates, s);
        assertEq(oracle.tokenState(tok(0)).factor, 0.5e18, "committed with cast's signatures");
    }
}
