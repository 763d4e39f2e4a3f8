// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm} from "../util/Vm.sol";
import {SupplyOracle} from "../../src/SupplyOracle.sol";

/// @notice Fuzzed signature sets against `commit` (PROTOCOL.md sections 6 and 7, EIP-712, EIP-2): only a set of
/// >= minReporters valid low-s signatures by distinct registered reporters, strictly ascending by signer, over this
/// chain's and this contract's Report digest for this round, commits.
contract SignatureFuzzTest is OracleFixture {
    bytes internal u;

    function setUp() public override {
        super.setUp();
        u = upd(tok(0), 1e24, 0.5e18, 0);
    }

    function _tryCommit(uint64 r, uint64 t, bytes32 h, bytes memory s) internal returns (bool ok) {
        try oracle.commit(r, t, h, u, s) {
            ok = true;
        } catch {
            ok = false;
        }
    }

    function testFuzz_commit_permutedSigners_acceptedOnlyWhenAscending(uint256 seed, uint8 countRaw) public {
        uint256 count = 3 + uint256(countRaw) % 5; // 3..7
        uint256[] memory idx = new uint256[](count);
        for (uint256 i; i < count; ++i) idx[i] = i;
        for (uint256 i = count - 1; i > 0; --i) { // Fisher-Yates with the fuzzed seed
            uint256 j = uint256(keccak256(abi.encode(seed, i))) % (i + 1);
            (idx[i], idx[j]) = (idx[j], idx[i]);
        }
        bool ascending = true;
        for (uint256 i = 1; i < count; ++i) if (idx[i] < idx[i - 1]) ascending = false;
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, u);
        bytes memory s;
        for (uint256 i; i < count; ++i) s = bytes.concat(s, sig(keys[idx[i]], d));
        assertEq(_tryCommit(r, t, h, s) ? 1 : 0, ascending ? 1 : 0, "accepted iff ascending");
        assertEq(oracle.lastRound(), ascending ? r : 0, "lastRound");
    }

    function testFuzz_commit_duplicatedSigner_reverts(uint8 which, uint8 countRaw) public {
        uint256 count = 3 + uint256(countRaw) % 5;
        uint256 dup = uint256(which) % count;
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, u);
        bytes memory s;
        for (uint256 i; i < count; ++i) {
            s = bytes.concat(s, sig(keys[i], d));
            if (i == dup) s = bytes.concat(s, sig(keys[i], d));
        }
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.SignersNotAscending.selector, dup + 1, signers[dup]));
        oracle.commit(r, t, h, u, s);
    }

    /// @notice Any stranger's well-formed signature is skipped, wherever it sits in the ascending order, and the
    /// registered signatures around it are counted (PROTOCOL.md section 6): three registered + the stranger commit,
    /// two registered + the stranger revert InsufficientSignatures(2, 3).
    function testFuzz_commit_unregisteredSigner_skipped(uint256 strangerKey, bool enough) public {
        strangerKey = 1 + strangerKey % (SECP256K1_N - 1);
        address stranger = vm.addr(strangerKey);
        for (uint256 i; i < N_REPORTERS; ++i) vm.assume(stranger != signers[i]);
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, u);
        // Two or three registered signers and the stranger, in ascending order.
        address[4] memory who = [signers[0], signers[1], enough ? signers[2] : stranger, stranger];
        uint256[4] memory k = [keys[0], keys[1], enough ? keys[2] : strangerKey, strangerKey];
        uint256 n = enough ? 4 : 3;
        for (uint256 i = n - 1; i > 0 && who[i] < who[i - 1]; --i) {
            (who[i], who[i - 1]) = (who[i - 1], who[i]);
            (k[i], k[i - 1]) = (k[i - 1], k[i]);
        }
        bytes memory s;
        for (uint256 i; i < n; ++i) s = bytes.concat(s, sig(k[i], d));
        if (!enough) vm.expectRevert(abi.encodeWithSelector(SupplyOracle.InsufficientSignatures.selector, uint256(2), uint8(3)));
        oracle.commit(r, t, h, u, s);
        assertEq(oracle.lastRound(), enough ? r : 0, "committed iff three registered signers");
    }

    function testFuzz_commit_highS_reverts(uint8 which) public {
        uint256 bad = uint256(which) % 3;
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, u);
        bytes memory s;
        for (uint256 i; i < 3; ++i) {
            (uint8 v, bytes32 rr, bytes32 ss) = vm.sign(keys[i], d);
            if (i == bad) { // the EIP-2 malleable twin: same signer for ecrecover, refused by the contract
                ss = bytes32(SECP256K1_N - uint256(ss));
                v = v == 27 ? 28 : 27;
            }
            s = bytes.concat(s, abi.encodePacked(rr, ss, v));
        }
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.InvalidSignature.selector, bad));
        oracle.commit(r, t, h, u, s);
    }

    function _foreignDigest(uint256 chainId, address verifying, uint64 r, uint64 t, bytes32 h) internal view returns (bytes32) {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("SupplyOracle"),
                keccak256("1"),
                chainId,
                verifying
            )
        );
        bytes32 structHash =
            keccak256(abi.encode(oracle.REPORT_TYPEHASH(), r, uint64(r * ROUND_BLOCKS), t, h, keccak256(u)));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    function testFuzz_commit_wrongChainOrContractInDomain_reverts(uint256 chainId, address verifying) public {
        vm.assume(chainId != block.chainid || verifying != address(oracle));
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 foreign = _foreignDigest(chainId, verifying, r, t, h);
        bytes memory s = sigs(foreign, 3);
        assertTrue(!_tryCommit(r, t, h, s), "foreign-domain signatures refused");
        assertEq(oracle.lastRound(), 0, "nothing committed");
        // The same construction with this chain and contract is exactly the contract's digest.
        assertEq(_foreignDigest(block.chainid, address(oracle), r, t, h), digestOf(r, t, h, u), "digest");
    }

    function testFuzz_commit_replayedSignaturesForLaterRound_reverts(uint16 gap) public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory s = sigs(digestOf(r, t, h, u), 3);
        oracle.commit(r, t, h, u, s);
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.RoundNotIncreasing.selector, r, r));
        oracle.commit(r, t, h, u, s);
        // Moving to a later round with the old round's signatures (and its hash/time) never commits.
        for (uint256 i; i <= uint256(gap) % 3; ++i) nextRound(1 hours);
        (uint64 r2,, bytes32 h2) = (round, uint64(clock), keccak256(abi.encode("block", uint256(round) * ROUND_BLOCKS)));
        assertTrue(!_tryCommit(r2, t, h2, s), "old signatures refused for a new round");
        assertEq(oracle.lastRound(), r, "lastRound unchanged");
    }

    function testFuzz_commit_tooFewValidSignatures_reverts(uint8 countRaw) public {
        uint256 count = uint256(countRaw) % 3; // 0..2 < minReporters
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory s = sigs(digestOf(r, t, h, u), count);
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.InsufficientSignatures.selector, count, uint8(3)));
        oracle.commit(r, t, h, u, s);
    }
}
