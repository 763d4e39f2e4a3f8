// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IExcludedAddressRegistry} from "./registry/IExcludedAddressRegistry.sol";
import {OracleGovernance} from "./oracle/OracleGovernance.sol";
import {OracleReads} from "./oracle/OracleReads.sol";
import {Params} from "./oracle/OracleTypes.sol";
import {TokenWord} from "./oracle/TokenWord.sol";

/// @title SupplyOracle: quorum-signed free-float factors per token (PROTOCOL.md sections 5 to 9)
/// @notice Reporters sign a Report (EIP-712, section 7); anyone transmits it with `commit` and at least
/// `minReporters` signatures. Each update is re-checked against stored state and either stored, marked frozen or
/// skipped with `Rejected(token, round, reason)` (section 6). Gas design: one batch-level `Committed` event per
/// commit (the updates themselves are in the transaction's calldata, bound by `reportDigest`), per-token `Frozen`
/// and `Rejected` events (rare), and per-token state packed in one slot (TokenWord) so a steady-state update costs
/// one cold SLOAD + one SSTORE.
contract SupplyOracle is OracleReads, EIP712 {
    using TokenWord for uint256;

    uint256 internal constant WAD = 1e18;
    uint256 internal constant UPDATE_BYTES = 45; // token 20 | circulating 16 | factor 8 | status 1 (section 7)
    uint256 internal constant SIGNATURE_BYTES = 65; // r 32 | s 32 | v 1

    /// @notice EIP-712 type hash of `Report` (PROTOCOL.md section 7).
    bytes32 public constant REPORT_TYPEHASH = keccak256(
        "Report(uint64 round,uint64 referenceBlock,uint64 referenceTime,bytes32 referenceHash,bytes updates)"
    );
    /// @notice EIP-712 type hash of `ObservationBatch` (PROTOCOL.md section 7).
    bytes32 public constant OBSERVATION_BATCH_TYPEHASH = keccak256(
        "ObservationBatch(uint64 round,uint64 referenceBlock,uint64 referenceTime,bytes32 referenceHash,bytes observations)"
    );

    /// @notice One per successful commit: `committed` Commit entries stored, `frozen` Frozen entries applied,
    /// `rejected` entries skipped (each with its own `Rejected` event). `reportDigest` is the EIP-712 digest signed.
    event Committed(
        uint64 indexed round, uint64 referenceTime, bytes32 reportDigest, uint256 committed, uint256 frozen, uint256 rejected
    );
    /// @notice A FrozenDivergence (1) or FrozenSupply (2) entry was applied: the factor stays, `frozen` is set.
    event Frozen(address indexed token, uint64 indexed round, uint8 status);
    /// @notice An update was skipped; `reason` is a RejectReason value.
    event Rejected(address indexed token, uint64 indexed round, uint8 reason);

    error RoundNotIncreasing(uint64 round, uint64 lastRound);
    /// @notice `B_r = round * roundBlocks` must be strictly below the current block.
    error ReferenceBlockNotPast(uint256 referenceBlock, uint256 currentBlock);
    error ReportTooOld(uint256 referenceBlock, uint256 currentBlock, uint16 maxReportAgeBlocks);
    error ReferenceHashMismatch(uint256 referenceBlock, bytes32 signed, bytes32 actual);
    error ReferenceTimeInFuture(uint64 referenceTime, uint256 blockTimestamp);
    error MalformedUpdates(uint256 length);
    error EmptyReport();
    error MalformedSignatures(uint256 length);
    /// @notice Signature `index` does not recover (high s per EIP-2, `v` not 27/28, or no signer).
    error InvalidSignature(uint256 index);
    /// @notice Signers must be strictly ascending (as uint160): this is how duplicates are refused.
    error SignersNotAscending(uint256 index, address signer);
    error UnknownSigner(uint256 index, address signer);
    error InsufficientSignatures(uint256 count, uint8 minReporters);

    constructor(
        address owner_,
        address guardian_,
        IExcludedAddressRegistry registry_,
        address[] memory reporters_,
        Params memory params_
    ) OracleGovernance(owner_, guardian_, registry_, reporters_, params_) EIP712("SupplyOracle", "1") {}

    // ---------------------------------------------------------------- EIP-712 (PROTOCOL.md section 7)

    /// @notice The EIP-712 domain separator (name "SupplyOracle", version "1", chainId, this address).
    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice The EIP-712 digest reporters sign to attest a Report.
    function reportDigest(
        uint64 round,
        uint64 referenceBlock,
        uint64 referenceTime,
        bytes32 referenceHash,
        bytes calldata updates
    ) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(REPORT_TYPEHASH, round, referenceBlock, referenceTime, referenceHash, keccak256(updates)))
        );
    }

    /// @notice The EIP-712 digest a reporter signs for its ObservationBatch (verified off-chain by aggregators).
    function observationBatchDigest(
        uint64 round,
        uint64 referenceBlock,
        uint64 referenceTime,
        bytes32 referenceHash,
        bytes calldata observations
    ) external view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    OBSERVATION_BATCH_TYPEHASH, round, referenceBlock, referenceTime, referenceHash, keccak256(observations)
                )
            )
        );
    }

    // ---------------------------------------------------------------- commit (PROTOCOL.md section 6)

    /// @notice Commits a quorum-signed Report. Reverts on anything wrong with the report as a whole (pause, round,
    /// reference block and hash, signatures); skips individual bad updates with `Rejected`.
    /// @param updates 45-byte entries, tokens strictly ascending (section 7).
    /// @param signatures 65-byte `r || s || v` signatures over `reportDigest`, signers strictly ascending, every
    /// signer a registered reporter, at least `minReporters` of them.
    function commit(
        uint64 round,
        uint64 referenceTime,
        bytes32 referenceHash,
        bytes calldata updates,
        bytes calldata signatures
    ) external {
        Params memory p = _params;
        bytes32 digest = _checkReport(round, referenceTime, referenceHash, updates, signatures, p);
        lastRound = round;
        (uint256 committed, uint256 frozen) = _applyUpdates(round, referenceTime, updates, p);
        _emitCommitted(round, referenceTime, digest, committed, frozen, updates.length / UPDATE_BYTES);
    }

    /// @dev Everything about the report as a whole (PROTOCOL.md section 6); returns the Report digest.
    function _checkReport(
        uint64 round,
        uint64 referenceTime,
        bytes32 referenceHash,
        bytes calldata updates,
        bytes calldata signatures,
        Params memory p
    ) private view returns (bytes32 digest) {
        if (_paused) revert Paused();
        uint64 last = lastRound;
        if (round <= last) revert RoundNotIncreasing(round, last);
        uint256 refBlock = uint256(round) * p.roundBlocks;
        if (refBlock >= block.number) revert ReferenceBlockNotPast(refBlock, block.number);
        if (block.number - refBlock > p.maxReportAgeBlocks) {
            revert ReportTooOld(refBlock, block.number, p.maxReportAgeBlocks);
        }
        bytes32 actual = blockhash(refBlock);
        if (actual != referenceHash) revert ReferenceHashMismatch(refBlock, referenceHash, actual);
        if (referenceTime > block.timestamp) revert ReferenceTimeInFuture(referenceTime, block.timestamp);
        if (updates.length % UPDATE_BYTES != 0) revert MalformedUpdates(updates.length);
        if (updates.length == 0) revert EmptyReport();
        // refBlock < block.number, so it fits uint64.
        // forge-lint: disable-next-line(unsafe-typecast)
        digest = reportDigest(round, uint64(refBlock), referenceTime, referenceHash, updates);
        _verifySignatures(digest, signatures, p.minReporters);
    }

    function _emitCommitted(uint64 round, uint64 referenceTime, bytes32 digest, uint256 committed, uint256 frozen, uint256 total)
        private
    {
        emit Committed(round, referenceTime, digest, committed, frozen, total - committed - frozen);
    }

    function _verifySignatures(bytes32 digest, bytes calldata signatures, uint8 minReporters) private view {
        if (signatures.length % SIGNATURE_BYTES != 0) revert MalformedSignatures(signatures.length);
        uint256 count = signatures.length / SIGNATURE_BYTES;
        if (count < minReporters) revert InsufficientSignatures(count, minReporters);
        address previous;
        for (uint256 i; i < count; ++i) {
            bytes32 r;
            bytes32 s;
            uint8 v;
            assembly ("memory-safe") {
                let o := add(signatures.offset, mul(i, 65))
                r := calldataload(o)
                s := calldataload(add(o, 32))
                v := byte(0, calldataload(add(o, 64)))
            }
            // OpenZeppelin's tryRecover refuses s > n/2 (EIP-2); the precompile yields no signer unless v is 27 or 28.
            (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, v, r, s);
            if (err != ECDSA.RecoverError.NoError || (v != 27 && v != 28)) revert InvalidSignature(i);
            if (signer <= previous) revert SignersNotAscending(i, signer);
            if (_reporterPos[signer] == 0) revert UnknownSigner(i, signer);
            previous = signer;
        }
    }

    /// @dev Applies every update (PROTOCOL.md section 6, "per update, defensively re-checks what it can"), in Yul
    /// because this loop is the per-token cost of a commit (see the contract NatSpec). For each 45-byte entry:
    ///  - token not strictly above the previous entry's token -> Rejected OUT_OF_ORDER (duplicates included);
    ///  - not listed -> NOT_LISTED; paused -> TOKEN_PAUSED;
    ///  - Commit (status 0): factor in [1, 1e18] else FACTOR_OUT_OF_RANGE; circulating > 0 else ZERO_CIRCULATING;
    ///    never initialized -> store factor, anchor = factor, committedAt = anchorAt = t (section 5 step 7);
    ///    t < committedAt + minCommitInterval -> TOO_SOON (step 8); the anchor rolls to prev when
    ///    t >= anchorAt + window (step 10); the factor must be one the clamps of steps 9-11 can produce from the stored
    ///    state for some target: the step clamp's image [prev - step, prev + step], mapped by the window clamp to its
    ///    intersection with [anchor - wstep, anchor + wstep] (or that interval's nearest bound when they are
    ///    disjoint), then clamped to [1, 1e18]; outside it -> STEP_CLAMP when outside the step range, else
    ///    WINDOW_CLAMP; a Commit clears `frozen`;
    ///  - FrozenDivergence / FrozenSupply (1, 2): the token must be initialized (NOT_INITIALIZED) and the entry must
    ///    carry the stored factor and committed circulating (FROZEN_MISMATCH); sets `frozen`, emits Frozen;
    ///  - any other status -> UNKNOWN_STATUS.
    /// Word layout and flag bits: TokenWord. All arithmetic is on values below 2^72 in 256-bit words: no overflow.
    function _applyUpdates(uint64 round, uint64 referenceTime, bytes calldata updates, Params memory p)
        private
        returns (uint256 committed, uint256 frozen)
    {
        uint256 minInterval = p.minCommitInterval;
        uint256 maxDelta = p.maxFactorDeltaBps;
        uint256 window = p.window;
        uint256 maxWindowDelta = p.maxWindowDeltaBps;
        bytes32 rejectedSig = Rejected.selector;
        bytes32 frozenSig = Frozen.selector;
        assembly ("memory-safe") {
            let wordSlot := _word.slot
            let infoSlot := _info.slot
            let cursor := updates.offset
            let end := add(cursor, updates.length)
            let previous := 0
            let ptr := mload(0x40) // event data scratch (not kept)
            let t := referenceTime
            for {} lt(cursor, end) { cursor := add(cursor, 45) } {
                let token := shr(96, calldataload(cursor))
                let tail := calldataload(add(cursor, 20)) // circulating 16 | factor 8 | status 1 | next entry
                let circ := shr(128, tail)
                let f := and(shr(64, tail), 0xffffffffffffffff)
                let status := and(shr(56, tail), 0xff)
                let reason := 2 // OUT_OF_ORDER
                let w := 0
                let next := 0
                let slot := 0
                // One pass of this block decides `reason` (255 = accepted) and `next`; `break` ends the decision.
                for {} gt(token, previous) {} {
                    previous := token
                    // slot of _word[token] (Solidity mapping layout): keccak256(token . wordSlot)
                    mstore(0x00, token)
                    mstore(0x20, wordSlot)
                    slot := keccak256(0x00, 0x40)
                    w := sload(slot)
                    next := w
                    // flag bits: 208 listed, 209 initialized, 210 frozen, 211 paused (TokenWord)
                    if iszero(and(w, shl(208, 1))) { reason := 0 break } // NOT_LISTED
                    if and(w, shl(211, 1)) { reason := 1 break } // TOKEN_PAUSED
                    if status {
                        if gt(status, 2) { reason := 3 break } // UNKNOWN_STATUS
                        if iszero(and(w, shl(209, 1))) { reason := 6 break } // NOT_INITIALIZED
                        mstore(0x00, circ) // circTag, see TokenWord.circTag
                        if or(iszero(eq(f, and(w, 0xffffffffffffffff))), iszero(eq(and(keccak256(0x00, 0x20), 0xffffffffff), shr(216, w)))) {
                            reason := 7 // FROZEN_MISMATCH
                            break
                        }
                        next := or(w, shl(210, 1))
                        reason := 255
                        break
                    }
                    if or(iszero(f), gt(f, 1000000000000000000)) { reason := 4 break } // FACTOR_OUT_OF_RANGE
                    if iszero(circ) { reason := 5 break } // ZERO_CIRCULATING
                    mstore(0x00, circ)
                    // circTag in place, with the listed and initialized flags (a Commit clears frozen; paused is clear)
                    let high := or(shl(216, and(keccak256(0x00, 0x20), 0xffffffffff)), shl(208, 3))
                    if iszero(and(w, shl(209, 1))) { // step 7: first commit, anchor = factor, anchorAt = t
                        next := or(or(f, shl(64, t)), or(or(shl(104, f), shl(168, t)), high))
                        reason := 255
                        break
                    }
                    if lt(t, add(and(shr(64, w), 0xffffffffff), minInterval)) { reason := 8 break } // step 8: TOO_SOON
                    let prev := and(w, 0xffffffffffffffff)
                    let step := div(mul(prev, maxDelta), 10000) // step 9
                    let lo1 := sub(prev, step)
                    let hi1 := add(prev, step)
                    let anchor := and(shr(104, w), 0xffffffffffffffff)
                    let anchorAt := and(shr(168, w), 0xffffffffff)
                    if iszero(lt(t, add(anchorAt, window))) { // step 10: the window has elapsed, the anchor moves
                        anchor := prev
                        anchorAt := t
                    }
                    let wstep := div(mul(anchor, maxWindowDelta), 10000)
                    let lo2 := sub(anchor, wstep)
                    let hi2 := add(anchor, wstep)
                    let lo := lo1
                    let hi := hi1
                    switch lt(hi1, lo2)
                    case 1 { lo := lo2 hi := lo2 }
                    default {
                        switch gt(lo1, hi2)
                        case 1 { lo := hi2 hi := hi2 }
                        default {
                            if gt(lo2, lo) { lo := lo2 }
                            if lt(hi2, hi) { hi := hi2 }
                        }
                    }
                    // step 11: [1, 1e18] (hi >= lo >= 0; f is already in [1, 1e18])
                    if iszero(lo) { lo := 1 }
                    if gt(lo, 1000000000000000000) { lo := 1000000000000000000 }
                    if iszero(hi) { hi := 1 }
                    if gt(hi, 1000000000000000000) { hi := 1000000000000000000 }
                    if or(lt(f, lo), gt(f, hi)) {
                        reason := 10 // WINDOW_CLAMP
                        if or(lt(f, lo1), gt(f, hi1)) { reason := 9 } // STEP_CLAMP
                        break
                    }
                    next := or(or(f, shl(64, t)), or(or(shl(104, anchor), shl(168, anchorAt)), high))
                    reason := 255
                    break
                }
                switch reason
                case 255 {
                    if iszero(eq(next, w)) { sstore(slot, next) }
                    switch status
                    case 0 {
                        committed := add(committed, 1)
                        // The full circulating goes to the cold slot (TokenInfo.committedCirculating, low 128 bits)
                        // only on a first commit or when its fingerprint changes.
                        if or(iszero(and(w, shl(209, 1))), iszero(eq(shr(216, next), shr(216, w)))) {
                            mstore(0x00, token)
                            mstore(0x20, infoSlot)
                            let islot := keccak256(0x00, 0x40)
                            sstore(islot, or(and(sload(islot), not(0xffffffffffffffffffffffffffffffff)), circ))
                        }
                    }
                    default {
                        frozen := add(frozen, 1)
                        mstore(ptr, status)
                        log3(ptr, 0x20, frozenSig, token, round)
                    }
                }
                default {
                    mstore(ptr, reason)
                    log3(ptr, 0x20, rejectedSig, token, round)
                }
            }
        }
    }
}
