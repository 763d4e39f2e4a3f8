// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IExcludedAddressRegistry} from "./registry/IExcludedAddressRegistry.sol";
import {OracleGovernance} from "./oracle/OracleGovernance.sol";
import {OracleUpdates} from "./oracle/OracleUpdates.sol";
import {Params} from "./oracle/OracleTypes.sol";

/// @title SupplyOracle: quorum-signed free-float factors per token (PROTOCOL.md sections 5 to 9)
/// @notice Reporters sign a Report (EIP-712, section 7); anyone transmits it with `commit` and at least
/// `minReporters` signatures. Each update is re-checked against stored state and either stored, marked frozen or
/// skipped with `Rejected(token, round, reason)` (section 6). Gas design: one batch-level `Committed` event per
/// commit (the updates themselves are in the transaction's calldata, bound by `reportDigest`), per-token `Frozen`
/// and `Rejected` events (rare), and per-token state split (TokenWord) so that a steady-state update reads its
/// token's cold word and writes a quarter of a shared slot (four 64-bit hot lanes per slot).
contract SupplyOracle is OracleUpdates, EIP712 {
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
    /// @notice Fewer than `minReporters` of the signers are registered reporters (`count` is how many are).
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
    /// reference block and hash, a malformed signature, too few registered signers); skips individual bad updates
    /// with `Rejected`.
    /// @param updates 45-byte entries, tokens strictly ascending (section 7).
    /// @param signatures 65-byte `r || s || v` signatures over `reportDigest`, signers strictly ascending; at least
    /// `minReporters` of the signers must be registered reporters (a well-formed signature of any other signer is
    /// skipped, PROTOCOL.md section 6).
    function commit(
        uint64 round,
        uint64 referenceTime,
        bytes32 referenceHash,
        bytes calldata updates,
        bytes calldata signatures
    ) external {
        Params memory p = _commitParams();
        bytes32 digest = _checkReport(round, referenceTime, referenceHash, updates, signatures, p);
        uint40 epoch = _epoch + 1;
        lastRound = round;
        _epoch = epoch;
        _recordEpochTime(epoch, referenceTime);
        (uint256 committed, uint256 frozen) =
            _applyUpdates(round, referenceTime, epoch, updates, p, Rejected.selector, Frozen.selector);
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

    /// @dev PROTOCOL.md section 6: every signature must be well formed (65 bytes, low s, `v` 27 or 28, signers
    /// strictly ascending) or the commit reverts; a well-formed signature of a signer that is not (or no longer) a
    /// registered reporter is skipped, so a reporter removed between attesting and the commit cannot sink the round.
    /// At least `minReporters` registered signers must remain.
    function _verifySignatures(bytes32 digest, bytes calldata signatures, uint8 minReporters) private view {
        if (signatures.length % SIGNATURE_BYTES != 0) revert MalformedSignatures(signatures.length);
        uint256 count = signatures.length / SIGNATURE_BYTES;
        if (count < minReporters) revert InsufficientSignatures(count, minReporters);
        uint256 registered;
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
            if (_reporterPos[signer] != 0) ++registered;
            previous = signer;
        }
        if (registered < minReporters) revert InsufficientSignatures(registered, minReporters);
    }
}
