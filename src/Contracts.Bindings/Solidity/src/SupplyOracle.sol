// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ISupplyOracle} from "./ISupplyOracle.sol";
import {IExcludedAddressRegistry} from "./registry/IExcludedAddressRegistry.sol";
import {OracleGovernance} from "./oracle/OracleGovernance.sol";
import {Params, UpdateStatus, RejectReason} from "./oracle/OracleTypes.sol";
import {TokenWord} from "./oracle/TokenWord.sol";
import {UpdateRules} from "./oracle/UpdateRules.sol";

/// @title SupplyOracle: quorum-signed free-float factors per token (PROTOCOL.md sections 5 to 9)
/// @notice Reporters sign a Report (EIP-712, section 7); anyone transmits it with `commit` and at least
/// `minReporters` signatures. Each update is re-checked against stored state and either stored, marked frozen or
/// skipped with `Rejected(token, round, reason)` (section 6). Gas design: one batch-level `Committed` event per
/// commit (the updates themselves are in the transaction's calldata, bound by `reportDigest`), per-token `Frozen`
/// and `Rejected` events (rare), and per-token state packed in one slot (TokenWord) so a steady-state update costs
/// one cold SLOAD + one SSTORE.
contract SupplyOracle is ISupplyOracle, OracleGovernance, EIP712 {
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
        if (_paused) revert Paused();
        Params memory p = _params;
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
        bytes32 digest = reportDigest(round, uint64(refBlock), referenceTime, referenceHash, updates);
        _verifySignatures(digest, signatures, p.minReporters);
        lastRound = round;

        (uint256 committed, uint256 frozen) = _applyUpdates(round, referenceTime, updates, p);
        emit Committed(round, referenceTime, digest, committed, frozen, updates.length / UPDATE_BYTES - committed - frozen);
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

    function _applyUpdates(uint64 round, uint64 referenceTime, bytes calldata updates, Params memory p)
        private
        returns (uint256 committed, uint256 frozen)
    {
        uint256 wordSlot;
        uint256 cursor;
        assembly ("memory-safe") {
            wordSlot := _word.slot
            cursor := updates.offset
        }
        uint256 end = cursor + updates.length;
        address previous;
        for (; cursor < end; cursor += UPDATE_BYTES) {
            address token;
            uint128 circulating;
            uint64 factor;
            uint8 status;
            uint256 slot;
            uint256 w;
            assembly ("memory-safe") {
                token := shr(96, calldataload(cursor))
                let tail := calldataload(add(cursor, 20)) // circulating 16 | factor 8 | status 1 | next entry
                circulating := shr(128, tail)
                factor := and(shr(64, tail), 0xffffffffffffffff)
                status := and(shr(56, tail), 0xff)
                // slot of _word[token] (Solidity mapping layout): keccak256(token . wordSlot)
                mstore(0x00, token)
                mstore(0x20, wordSlot)
                slot := keccak256(0x00, 0x40)
                w := sload(slot)
            }
            if (token <= previous) {
                emit Rejected(token, round, RejectReason.OUT_OF_ORDER);
                continue;
            }
            previous = token;
            (uint256 next, uint256 reason) = UpdateRules.apply_(w, circulating, factor, status, referenceTime, p);
            if (reason != UpdateRules.OK) {
                // forge-lint: disable-next-line(unsafe-typecast)
                emit Rejected(token, round, uint8(reason)); // RejectReason values are < 256
                continue;
            }
            if (next != w) {
                assembly ("memory-safe") {
                    sstore(slot, next)
                }
            }
            if (status == UpdateStatus.COMMIT) {
                ++committed;
                // The full value goes to the cold slot only when its fingerprint changes (or on a first commit).
                if (next.tag() != w.tag() || !w.has(TokenWord.FLAG_INITIALIZED)) {
                    _info[token].committedCirculating = circulating;
                }
            } else {
                ++frozen;
                emit Frozen(token, round, status);
            }
        }
    }

    // ---------------------------------------------------------------- reads (PROTOCOL.md section 9)

    /// @inheritdoc ISupplyOracle
    function freeFloatFactor(address token)
        external
        view
        returns (uint64 factor, uint40 committedAt, bool frozen, bool stale)
    {
        uint256 w = _word[token];
        frozen = w.has(TokenWord.FLAG_FROZEN) || w.has(TokenWord.FLAG_PAUSED) || _paused;
        if (!w.has(TokenWord.FLAG_INITIALIZED)) return (0, 0, frozen, true);
        factor = w.factor();
        committedAt = w.committedAt();
        stale = block.timestamp > uint256(committedAt) + _params.reportStaleAfter;
    }

    /// @inheritdoc ISupplyOracle
    function getFreeFloatSupply(address token) external view returns (uint256) {
        uint256 w = _readable(token);
        uint256 live = registry.onChainCirculating(token);
        return Math.mulDiv(live / 10 ** uint256(_info[token].decimals), w.factor(), WAD);
    }

    /// @inheritdoc ISupplyOracle
    function committedFreeFloatSupply(address token) external view returns (uint256) {
        uint256 w = _readable(token);
        return uint256(_info[token].committedCirculating) * w.factor() / WAD;
    }

    /// @dev The checks both supply reads share (PROTOCOL.md section 9).
    function _readable(address token) private view returns (uint256 w) {
        w = _word[token];
        if (_paused || w.has(TokenWord.FLAG_PAUSED)) revert Paused();
        if (!w.has(TokenWord.FLAG_INITIALIZED)) revert NotInitialized(token);
        uint32 maxAge = _params.maxCommitAge;
        if (block.timestamp > uint256(w.committedAt()) + maxAge) revert CommitTooOld(token, w.committedAt(), maxAge);
    }
}
