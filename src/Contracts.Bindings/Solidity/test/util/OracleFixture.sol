// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "./Test.sol";
import {vm} from "./Vm.sol";
import {SupplyOracle} from "../../src/SupplyOracle.sol";
import {ExcludedAddressRegistry} from "../../src/registry/ExcludedAddressRegistry.sol";
import {IExcludedAddressRegistry} from "../../src/registry/IExcludedAddressRegistry.sol";
import {Params} from "../../src/oracle/OracleTypes.sol";
import {TestToken} from "../../src/testing/TestToken.sol";

/// @notice A deployed registry + oracle with 7 reporters (quorum 3 by default, roundBlocks 10), helpers to encode
/// updates, sign Reports with the reporters' keys (EIP-712 via the contract's digest, ECDSA via vm.sign) and commit.
abstract contract OracleFixture is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant N_REPORTERS = 7;
    uint32 internal constant ROUND_BLOCKS = 10;
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    address internal owner = address(0x0A11CE);
    address internal guardian = address(0x6A4D);
    ExcludedAddressRegistry internal registry;
    SupplyOracle public oracle;
    /// @dev Reporter keys sorted by their address (strictly ascending).
    uint256[] internal keys;
    address[] internal signers;
    TestToken[] internal tokens; // sorted by address
    uint64 internal round;
    uint256 internal clock = 1_700_000_000;

    function setUp() public virtual {
        vm.warp(clock);
        vm.roll(1000);
        for (uint256 i = 1; i <= N_REPORTERS; ++i) {
            keys.push(uint256(keccak256(abi.encode("reporter", i))) % SECP256K1_N);
        }
        _sortKeys();
        for (uint256 i; i < N_REPORTERS; ++i) {
            signers.push(vm.addr(keys[i]));
        }
        registry = new ExcludedAddressRegistry(owner, guardian, 1 hours, 14 days);
        oracle = new SupplyOracle(owner, guardian, IExcludedAddressRegistry(address(registry)), signers, params());
        for (uint256 i; i < 3; ++i) {
            TestToken t = new TestToken("Token", "TKN", 18, address(this));
            t.mint(address(this), 1_000_000e18);
            tokens.push(t);
            vm.prank(owner);
            oracle.listToken(address(t));
        }
        _sortTokens();
        round = uint64(block.number / ROUND_BLOCKS);
    }

    function params() internal pure virtual returns (Params memory p) {
        p = Params({
            roundBlocks: ROUND_BLOCKS,
            minReporters: 3,
            divergenceToleranceBps: 200,
            minCommitInterval: 1 hours,
            maxFactorDeltaBps: 1000,
            window: 1 days,
            maxWindowDeltaBps: 2500,
            reportStaleAfter: 1 days,
            maxCommitAge: 30 days,
            maxReportAgeBlocks: 256,
            heartbeat: 12 hours,
            supplyDeviationBps: 50
        });
    }

    // ---------------------------------------------------------------- encoding

    function upd(address token, uint128 circulating, uint64 factor, uint8 status) internal pure returns (bytes memory) {
        return abi.encodePacked(token, circulating, factor, status);
    }

    function tok(uint256 i) internal view returns (address) {
        return address(tokens[i]);
    }

    // ---------------------------------------------------------------- rounds and signing

    /// @dev Moves to the next round: time forward by `dt`, block just past its reference block.
    function nextRound(uint256 dt) internal returns (uint64 r, uint64 refTime, bytes32 refHash) {
        clock += dt;
        r = ++round;
        uint256 b = uint256(r) * ROUND_BLOCKS;
        refHash = keccak256(abi.encode("block", b));
        vm.roll(b + 1);
        vm.setBlockhash(b, refHash);
        vm.warp(clock);
        refTime = uint64(clock);
    }

    function digestOf(uint64 r, uint64 refTime, bytes32 refHash, bytes memory updates) internal view returns (bytes32) {
        return oracle.reportDigest(r, r * ROUND_BLOCKS, refTime, refHash, updates);
    }

    function sig(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev Signatures of the first `n` reporters (ascending signer order).
    function sigs(bytes32 digest, uint256 n) internal view returns (bytes memory out) {
        for (uint256 i; i < n; ++i) {
            out = bytes.concat(out, sig(keys[i], digest));
        }
    }

    /// @dev Next round after `dt` seconds, signed by `n` reporters, committed.
    function commitNext(uint256 dt, bytes memory updates, uint256 n) internal returns (uint64 r, uint64 refTime) {
        bytes32 refHash;
        (r, refTime, refHash) = nextRound(dt);
        bytes memory s = sigs(digestOf(r, refTime, refHash, updates), n);
        oracle.commit(r, refTime, refHash, updates, s);
    }

    function _sortKeys() private {
        for (uint256 i = 1; i < keys.length; ++i) {
            for (uint256 j = i; j > 0 && vm.addr(keys[j]) < vm.addr(keys[j - 1]); --j) {
                (keys[j], keys[j - 1]) = (keys[j - 1], keys[j]);
            }
        }
    }

    function _sortTokens() private {
        for (uint256 i = 1; i < tokens.length; ++i) {
            for (uint256 j = i; j > 0 && address(tokens[j]) < address(tokens[j - 1]); --j) {
                (tokens[j], tokens[j - 1]) = (tokens[j - 1], tokens[j]);
            }
        }
    }
}
