// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm, Vm} from "../util/Vm.sol";
import {SupplyOracle} from "../../src/SupplyOracle.sol";
import {ISupplyOracle} from "../../src/ISupplyOracle.sol";
import {TokenView} from "../../src/oracle/OracleTypes.sol";

/// @notice `commit` as a whole, PROTOCOL.md section 6: pause, round, reference block/hash/time, signatures.
contract SupplyOracleCommitTest is OracleFixture {
    bytes internal one;

    function setUp() public override {
        super.setUp();
        one = upd(tok(0), 500_000e18, 0.8e18, 0);
    }

    function test_commit_validQuorum_storesAndEmitsCommitted() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, one);
        vm.expectEmit(true, false, false, true, address(oracle));
        emit SupplyOracle.Committed(r, t, d, 1, 0, 0);
        oracle.commit(r, t, h, one, sigs(d, 3));
        assertEq(oracle.lastRound(), r, "lastRound");
        TokenView memory v = oracle.tokenState(tok(0));
        assertEq(v.factor, 0.8e18, "factor");
        assertEq(v.committedAt, t, "committedAt");
        assertEq(v.anchor, 0.8e18, "anchor");
        assertEq(v.anchorAt, t, "anchorAt");
        assertEq(v.committedCirculating, 500_000e18, "circulating");
        assertTrue(v.initialized && !v.frozen, "flags");
    }

    function test_commit_whenPaused_revertsPaused() public {
        vm.prank(guardian);
        oracle.pause();
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory s = sigs(digestOf(r, t, h, one), 3);
        vm.expectRevert(ISupplyOracle.Paused.selector);
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_roundNotAboveLast_reverts() public {
        commitNext(0, one, 3);
        uint64 last = oracle.lastRound();
        // Same round again, block and hash still valid.
        bytes32 h = keccak256(abi.encode("block", uint256(last) * ROUND_BLOCKS));
        bytes memory s = sigs(digestOf(last, uint64(clock), h, one), 3);
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.RoundNotIncreasing.selector, last, last));
        oracle.commit(last, uint64(clock), h, one, s);
    }

    function test_commit_referenceBlockNotPast_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        vm.roll(uint256(r) * ROUND_BLOCKS);
        bytes memory s = sigs(digestOf(r, t, h, one), 3);
        vm.expectRevert(
            abi.encodeWithSelector(SupplyOracle.ReferenceBlockNotPast.selector, uint256(r) * ROUND_BLOCKS, block.number)
        );
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_reportOlderThanMaxAge_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        uint256 b = uint256(r) * ROUND_BLOCKS;
        bytes memory s = sigs(digestOf(r, t, h, one), 3);
        vm.roll(b + 257);
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.ReportTooOld.selector, b, b + 257, uint16(256)));
        oracle.commit(r, t, h, one, s);
        vm.roll(b + 256); // exactly maxReportAgeBlocks is still accepted
        vm.setBlockhash(b, h);
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_referenceHashMismatch_reverts() public {
        (uint64 r, uint64 t,) = nextRound(0);
        bytes32 reorged = keccak256("orphaned block");
        bytes memory s = sigs(digestOf(r, t, reorged, one), 3);
        uint256 b = uint256(r) * ROUND_BLOCKS;
        vm.expectRevert(
            abi.encodeWithSelector(SupplyOracle.ReferenceHashMismatch.selector, b, reorged, blockhash(b))
        );
        oracle.commit(r, t, reorged, one, s);
    }

    function test_commit_referenceTimeInFuture_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory s = sigs(digestOf(r, t + 1, h, one), 3);
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.ReferenceTimeInFuture.selector, t + 1, block.timestamp));
        oracle.commit(r, t + 1, h, one, s);
    }

    function test_commit_updatesNotMultipleOf45_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory bad = bytes.concat(one, hex"00");
        bytes memory s = sigs(digestOf(r, t, h, bad), 3);
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.MalformedUpdates.selector, uint256(46)));
        oracle.commit(r, t, h, bad, s);
    }

    function test_commit_emptyUpdates_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory s = sigs(digestOf(r, t, h, ""), 3);
        vm.expectRevert(SupplyOracle.EmptyReport.selector);
        oracle.commit(r, t, h, "", s);
    }

    function test_commit_fewerThanMinReporters_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory s = sigs(digestOf(r, t, h, one), 2);
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.InsufficientSignatures.selector, uint256(2), uint8(3)));
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_signaturesNotMultipleOf65_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory s = bytes.concat(sigs(digestOf(r, t, h, one), 3), hex"00");
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.MalformedSignatures.selector, uint256(196)));
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_duplicateSigner_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, one);
        bytes memory s = bytes.concat(sig(keys[0], d), sig(keys[1], d), sig(keys[1], d));
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.SignersNotAscending.selector, uint256(2), signers[1]));
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_unsortedSigners_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, one);
        bytes memory s = bytes.concat(sig(keys[1], d), sig(keys[0], d), sig(keys[2], d));
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.SignersNotAscending.selector, uint256(1), signers[0]));
        oracle.commit(r, t, h, one, s);
    }

    /// @notice A well-formed signature of a stranger is skipped (PROTOCOL.md section 6): with three registered
    /// signatures beside it the commit goes through; it still has to respect the ascending order.
    function test_commit_unregisteredSigner_skipped() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, one);
        uint256 stranger = 0xBAD;
        address sa = vm.addr(stranger);
        // Place the stranger where the ascending order allows it.
        bytes memory s;
        uint256 idx;
        bool placed;
        for (uint256 i; i < 3; ++i) {
            if (!placed && sa < signers[i]) {
                s = bytes.concat(s, sig(stranger, d));
                (placed, idx) = (true, i);
            }
            s = bytes.concat(s, sig(keys[i], d));
        }
        if (!placed) (s, idx) = (bytes.concat(s, sig(stranger, d)), 3);
        assertEq(s.length, 4 * 65, "four signatures");
        oracle.commit(r, t, h, one, s);
        assertEq(oracle.lastRound(), r, "committed");
    }

    /// @notice A stranger's signature among too few registered ones: only the registered ones count.
    function test_commit_unregisteredSignerInsteadOfThird_revertsInsufficient() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, one);
        uint256 stranger = 0xBAD;
        address sa = vm.addr(stranger);
        bytes memory s;
        bool placed;
        for (uint256 i; i < 2; ++i) {
            if (!placed && sa < signers[i]) {
                s = bytes.concat(s, sig(stranger, d));
                placed = true;
            }
            s = bytes.concat(s, sig(keys[i], d));
        }
        if (!placed) s = bytes.concat(s, sig(stranger, d));
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.InsufficientSignatures.selector, uint256(2), uint8(3)));
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_highS_revertsInvalidSignature() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, one);
        (uint8 v, bytes32 rr, bytes32 ss) = vm.sign(keys[0], d);
        // The malleable twin (EIP-2): s' = n - s, v flipped; ecrecover alone would accept it.
        bytes memory twin = abi.encodePacked(rr, bytes32(SECP256K1_N - uint256(ss)), v == 27 ? uint8(28) : uint8(27));
        bytes memory s = bytes.concat(twin, sig(keys[1], d), sig(keys[2], d));
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.InvalidSignature.selector, uint256(0)));
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_badV_revertsInvalidSignature() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes32 d = digestOf(r, t, h, one);
        (, bytes32 rr, bytes32 ss) = vm.sign(keys[0], d);
        bytes memory s = bytes.concat(abi.encodePacked(rr, ss, uint8(0)), sig(keys[1], d), sig(keys[2], d));
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.InvalidSignature.selector, uint256(0)));
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_signatureOverOtherUpdates_revertsUnknownOrUnsorted() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory other = upd(tok(0), 500_000e18, 0.7e18, 0);
        bytes memory s = sigs(digestOf(r, t, h, other), 3);
        // A signature over other data recovers to an unrelated address: it is not a registered reporter.
        vm.expectRevert();
        oracle.commit(r, t, h, one, s);
        assertEq(oracle.lastRound(), 0, "nothing committed");
    }

    function test_commit_sameReportReplayed_reverts() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        bytes memory s = sigs(digestOf(r, t, h, one), 3);
        oracle.commit(r, t, h, one, s);
        vm.expectRevert(abi.encodeWithSelector(SupplyOracle.RoundNotIncreasing.selector, r, r));
        oracle.commit(r, t, h, one, s);
    }

    function test_commit_allReporters_accepted() public {
        (uint64 r, uint64 t, bytes32 h) = nextRound(0);
        oracle.commit(r, t, h, one, sigs(digestOf(r, t, h, one), N_REPORTERS));
        assertEq(oracle.lastRound(), r, "lastRound");
    }

    function test_eip712Domain_matchesProtocol() public view {
        (, string memory name, string memory version, uint256 chainId, address verifying,,) = oracle.eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("SupplyOracle"), "name");
        assertEq(keccak256(bytes(version)), keccak256("1"), "version");
        assertEq(chainId, block.chainid, "chainId");
        assertEq(verifying, address(oracle), "verifyingContract");
        bytes32 expected = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("SupplyOracle"),
                keccak256("1"),
                block.chainid,
                address(oracle)
            )
        );
        assertEq(oracle.domainSeparator(), expected, "separator");
    }
}
