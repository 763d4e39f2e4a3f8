// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IExcludedAddressRegistry} from "../registry/IExcludedAddressRegistry.sol";
import {Params, TokenView} from "./OracleTypes.sol";
import {TokenWord} from "./TokenWord.sol";

/// @title OracleGovernance: storage, parameters, reporter set, token listing and pauses of SupplyOracle
/// @notice PROTOCOL.md sections 1 (parties) and 8 (parameters). The owner (a TimelockController in production, via
/// Ownable2Step) governs; the guardian may only pause (globally or per token); only the owner unpauses.
abstract contract OracleGovernance is Ownable2Step {
    using TokenWord for uint256;

    /// @notice Hard cap on the reporter set (PROTOCOL.md section 8).
    uint256 public constant MAX_REPORTERS = 31;
    /// @notice Largest `decimals` a listed token may have (10**77 is the largest power of ten in a uint256).
    uint8 public constant MAX_DECIMALS = 77;

    /// @notice The registry whose `onChainCirculating` feeds `getFreeFloatSupply`.
    IExcludedAddressRegistry public immutable registry;

    Params internal _params;
    /// @notice The last committed round; `commit` requires a strictly larger one (PROTOCOL.md section 6).
    uint64 public lastRound;
    /// @dev Commits so far (TokenWord epochs); shares lastRound's slot, which every commit writes anyway.
    uint40 internal _epoch;
    bool internal _paused;
    /// @dev Lanes handed out by listToken (TokenWord index); never reused, so a delisted lane stays unused.
    uint32 internal _laneCount;
    /// @notice The pause-only role.
    address public guardian;

    address[] internal _reporters;
    mapping(address reporter => uint256 position) internal _reporterPos; // 1-based, 0 = not registered
    address[] internal _tokens;
    mapping(address token => uint256 position) internal _tokenPos; // 1-based, 0 = not listed
    /// @dev The cold per-token word, see TokenWord. Accessed by slot in SupplyOracle's commit loop.
    mapping(address token => uint256 word) internal _word;
    mapping(address token => TokenInfo info) internal _info;
    /// @dev The hot lanes, four 64-bit lanes (factor, epoch delta) per slot, see TokenWord.
    mapping(uint256 group => uint256 lanes) internal _lanes;
    /// @dev referenceTime of every commit by epoch, four uint64 per slot (`_epochTimes[epoch >> 2]`, lane `epoch & 3`).
    mapping(uint256 quad => uint256 times) internal _epochTimes;

    /// @dev The cold per-token slot: written when the committed circulating changes, read by supply reads.
    struct TokenInfo {
        uint128 committedCirculating;
        uint8 decimals;
    }

    event ParamsSet(Params params);
    event ReporterAdded(address indexed reporter);
    event ReporterRemoved(address indexed reporter);
    event TokenListed(address indexed token, uint8 decimals);
    event TokenDelisted(address indexed token);
    event GuardianSet(address indexed previous, address indexed current);
    event GlobalPauseSet(bool paused);
    event TokenPauseSet(address indexed token, bool paused);

    /// @notice A parameter broke its rule of PROTOCOL.md section 8; `name` is the parameter's name.
    error InvalidParameter(bytes32 name, uint256 value);
    error ZeroAddress();
    error NotGuardian(address caller);
    error ReporterAlreadyRegistered(address reporter);
    error ReporterNotRegistered(address reporter);
    error TooManyReporters(uint256 max);
    /// @notice Removing a reporter would leave fewer reporters than `minReporters`.
    error WouldBreakQuorum(uint256 reporters, uint8 minReporters);
    error TokenAlreadyListed(address token);
    error TokenNotListed(address token);
    /// @notice `decimals()` reverted, returned nothing decodable, or exceeded MAX_DECIMALS.
    error UnsupportedToken(address token);
    error RenounceDisabled();

    constructor(address owner_, address guardian_, IExcludedAddressRegistry registry_, address[] memory reporters_, Params memory params_)
        Ownable(owner_)
    {
        if (guardian_ == address(0) || address(registry_) == address(0)) revert ZeroAddress();
        registry = registry_;
        guardian = guardian_;
        emit GuardianSet(address(0), guardian_);
        for (uint256 i; i < reporters_.length; ++i) {
            _addReporter(reporters_[i]);
        }
        _setParams(params_);
    }

    modifier onlyGuardian() {
        if (msg.sender != guardian) revert NotGuardian(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- parameters (PROTOCOL.md section 8)

    /// @notice Replaces all parameters at once; each is validated against PROTOCOL.md section 8.
    function setParams(Params calldata params_) external onlyOwner {
        _setParams(params_);
    }

    /// @notice All parameters in one call.
    function params() external view returns (Params memory) {
        return _params;
    }

    /// @notice The defaults of PROTOCOL.md section 8 (the deploy script starts from them).
    function defaultParams() public pure returns (Params memory) {
        return Params({
            roundBlocks: 300,
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

    /// @dev The parameters `commit` needs, copied from the first storage slot only (see `Params`): heartbeat and
    /// supplyDeviationBps stay zero here, they are the rules engine's (PROTOCOL.md section 5 step 12), not commit's.
    function _commitParams() internal view returns (Params memory p) {
        Params storage s = _params;
        p.roundBlocks = s.roundBlocks;
        p.minReporters = s.minReporters;
        p.minCommitInterval = s.minCommitInterval;
        p.maxFactorDeltaBps = s.maxFactorDeltaBps;
        p.window = s.window;
        p.maxWindowDeltaBps = s.maxWindowDeltaBps;
        p.maxReportAgeBlocks = s.maxReportAgeBlocks;
    }

    function _setParams(Params memory p) internal {
        if (p.roundBlocks == 0) revert InvalidParameter("roundBlocks", p.roundBlocks);
        if (p.minReporters == 0 || p.minReporters > _reporters.length) {
            revert InvalidParameter("minReporters", p.minReporters);
        }
        if (p.divergenceToleranceBps > 10_000) revert InvalidParameter("divergenceToleranceBps", p.divergenceToleranceBps);
        if (p.minCommitInterval == 0) revert InvalidParameter("minCommitInterval", p.minCommitInterval);
        if (p.maxFactorDeltaBps == 0 || p.maxFactorDeltaBps > 10_000) {
            revert InvalidParameter("maxFactorDeltaBps", p.maxFactorDeltaBps);
        }
        if (p.window == 0) revert InvalidParameter("window", p.window);
        if (p.maxWindowDeltaBps == 0 || p.maxWindowDeltaBps > 10_000) {
            revert InvalidParameter("maxWindowDeltaBps", p.maxWindowDeltaBps);
        }
        if (p.maxCommitAge < p.reportStaleAfter) revert InvalidParameter("maxCommitAge", p.maxCommitAge);
        if (p.maxReportAgeBlocks == 0 || p.maxReportAgeBlocks > 256) {
            revert InvalidParameter("maxReportAgeBlocks", p.maxReportAgeBlocks);
        }
        // Section 8: a heartbeat below the cooldown could never be honoured, one above half the staleness age would
        // let an unchanged token read as stale between two heartbeats.
        if (p.heartbeat < p.minCommitInterval || p.heartbeat > p.reportStaleAfter / 2) {
            revert InvalidParameter("heartbeat", p.heartbeat);
        }
        if (p.supplyDeviationBps > 10_000) revert InvalidParameter("supplyDeviationBps", p.supplyDeviationBps);
        _params = p;
        emit ParamsSet(p);
    }

    // ---------------------------------------------------------------- reporters

    /// @notice Registers a reporter key (distinct, non-zero, at most MAX_REPORTERS).
    function addReporter(address reporter) external onlyOwner {
        _addReporter(reporter);
    }

    /// @notice Removes a reporter; reverts if fewer than `minReporters` would remain.
    function removeReporter(address reporter) external onlyOwner {
        uint256 pos = _reporterPos[reporter];
        if (pos == 0) revert ReporterNotRegistered(reporter);
        if (_reporters.length - 1 < _params.minReporters) {
            revert WouldBreakQuorum(_reporters.length - 1, _params.minReporters);
        }
        address last = _reporters[_reporters.length - 1];
        _reporters[pos - 1] = last;
        _reporterPos[last] = pos;
        _reporters.pop();
        delete _reporterPos[reporter];
        emit ReporterRemoved(reporter);
    }

    /// @notice The registered reporters (unordered).
    function reporters() external view returns (address[] memory) {
        return _reporters;
    }

    /// @notice Whether `account` is a registered reporter.
    function isReporter(address account) external view returns (bool) {
        return _reporterPos[account] != 0;
    }

    function _addReporter(address reporter) private {
        if (reporter == address(0)) revert ZeroAddress();
        if (_reporterPos[reporter] != 0) revert ReporterAlreadyRegistered(reporter);
        if (_reporters.length >= MAX_REPORTERS) revert TooManyReporters(MAX_REPORTERS);
        _reporters.push(reporter);
        _reporterPos[reporter] = _reporters.length;
        emit ReporterAdded(reporter);
    }

    // ---------------------------------------------------------------- tokens

    /// @notice Lists `token`; its `decimals()` is read once and kept for `getFreeFloatSupply`.
    function listToken(address token) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        if (_tokenPos[token] != 0) revert TokenAlreadyListed(token);
        // A low-level call: `try` would not catch a missing contract or undecodable return data.
        (bool ok, bytes memory ret) = token.staticcall(abi.encodeCall(IERC20Metadata.decimals, ()));
        if (!ok || ret.length < 32 || token.code.length == 0) revert UnsupportedToken(token);
        uint256 raw = abi.decode(ret, (uint256));
        if (raw > MAX_DECIMALS) revert UnsupportedToken(token);
        // forge-lint: disable-next-line(unsafe-typecast)
        uint8 decimals = uint8(raw); // <= 77
        _tokens.push(token);
        _tokenPos[token] = _tokens.length;
        uint32 laneIndex = _laneCount++; // a fresh lane is all zero: nothing to clear
        _word[token] = TokenWord.FLAG_LISTED | (uint256(laneIndex) << TokenWord.INDEX_SHIFT);
        _info[token] = TokenInfo({committedCirculating: 0, decimals: decimals});
        emit TokenListed(token, decimals);
    }

    /// @notice Delists `token` and erases its state (a later listing starts from a first commit).
    function delistToken(address token) external onlyOwner {
        uint256 pos = _tokenPos[token];
        if (pos == 0) revert TokenNotListed(token);
        address last = _tokens[_tokens.length - 1];
        _tokens[pos - 1] = last;
        _tokenPos[last] = pos;
        _tokens.pop();
        delete _tokenPos[token];
        uint256 laneIndex = _word[token].index();
        _lanes[laneIndex >> 2] &= ~(uint256(type(uint64).max) << ((laneIndex & 3) * 64));
        delete _word[token];
        delete _info[token];
        emit TokenDelisted(token);
    }

    /// @notice The listed tokens (unordered).
    function listedTokens() external view returns (address[] memory) {
        return _tokens;
    }

    /// @notice Everything the rules engine needs about `token` (PROTOCOL.md section 5 inputs) in one call.
    function tokenState(address token) public view returns (TokenView memory v) {
        uint256 w = _word[token];
        TokenInfo memory info = _info[token];
        (uint64 factor, uint40 committedAt) = _hot(w);
        v = TokenView({
            listed: w.has(TokenWord.FLAG_LISTED),
            initialized: w.has(TokenWord.FLAG_INITIALIZED),
            frozen: w.has(TokenWord.FLAG_FROZEN),
            paused: w.has(TokenWord.FLAG_PAUSED),
            decimals: info.decimals,
            factor: factor,
            committedAt: committedAt,
            anchor: w.anchor(),
            anchorAt: w.anchorAt(),
            committedCirculating: info.committedCirculating
        });
    }

    /// @dev The factor and committedAt of the token with cold word `w` (both 0 before its first commit).
    function _hot(uint256 w) internal view returns (uint64 factor, uint40 committedAt) {
        if (!w.has(TokenWord.FLAG_INITIALIZED)) return (0, 0);
        uint256 laneIndex = w.index();
        uint256 lane = _lanes[laneIndex >> 2].lane(laneIndex);
        factor = lane.laneFactor();
        committedAt = _epochTime(w.committedEpoch(lane));
    }

    /// @dev The referenceTime of commit number `epoch` (stored by commit; always below 2^40, see SupplyOracle).
    function _epochTime(uint256 epoch) internal view returns (uint40) {
        // forge-lint: disable-next-line(unsafe-typecast)
        return uint40(_epochTimes[epoch >> 2] >> ((epoch & 3) * 64));
    }

    /// @notice `tokenState` for many tokens at once.
    function tokenStates(address[] calldata tokens) external view returns (TokenView[] memory views) {
        views = new TokenView[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            views[i] = tokenState(tokens[i]);
        }
    }

    // ---------------------------------------------------------------- guardian and pauses

    /// @notice Replaces the guardian.
    function setGuardian(address guardian_) external onlyOwner {
        if (guardian_ == address(0)) revert ZeroAddress();
        emit GuardianSet(guardian, guardian_);
        guardian = guardian_;
    }

    /// @notice Pauses commits and supply reads (guardian).
    function pause() external onlyGuardian {
        _paused = true;
        emit GlobalPauseSet(true);
    }

    /// @notice Lifts the global pause (owner).
    function unpause() external onlyOwner {
        _paused = false;
        emit GlobalPauseSet(false);
    }

    /// @notice Whether the oracle is globally paused.
    function paused() external view returns (bool) {
        return _paused;
    }

    /// @notice Pauses one token: its updates are rejected and its supply reads revert (guardian).
    function pauseToken(address token) external onlyGuardian {
        _setTokenPaused(token, true);
    }

    /// @notice Lifts a token pause (owner).
    function unpauseToken(address token) external onlyOwner {
        _setTokenPaused(token, false);
    }

    function _setTokenPaused(address token, bool on) private {
        uint256 w = _word[token];
        if (!w.has(TokenWord.FLAG_LISTED)) revert TokenNotListed(token);
        _word[token] = on ? w | TokenWord.FLAG_PAUSED : w & ~TokenWord.FLAG_PAUSED;
        emit TokenPauseSet(token, on);
    }

    /// @notice Disabled: an oracle without an owner could never change parameters or reporters again.
    function renounceOwnership() public pure override {
        revert RenounceDisabled();
    }
}
