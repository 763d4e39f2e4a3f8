// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IExcludedAddressRegistry} from "./IExcludedAddressRegistry.sol";

/// @title ExcludedAddressRegistry: timelocked per-token lists of addresses whose balances are not circulating
/// @notice PROTOCOL.md section 10. The owner proposes a change; anyone executes it once `delay` has passed and before
/// `grace` more has passed (it expires after that); the owner or the guardian may cancel it while pending. Per token
/// at most 64 excluded addresses, each with a `kind` and an `evidence` hash of an off-chain document.
/// Kinds are the ASCII names left-aligned in a bytes32 (Solidity `bytes32("vesting")`): vesting, treasury, burn,
/// bridge, team, exchange-cold, other.
contract ExcludedAddressRegistry is IExcludedAddressRegistry, Ownable2Step {
    uint256 public constant MAX_EXCLUDED = 64;
    uint32 public constant MIN_DELAY = 1 hours;
    uint32 public constant MAX_DELAY = 30 days;
    /// @notice Bounds of `grace` (a registry-level choice; the protocol gives only the 14-day default).
    uint32 public constant MIN_GRACE = 1 days;
    uint32 public constant MAX_GRACE = 90 days;
    uint32 public constant DEFAULT_GRACE = 14 days;

    /// @notice What a proposal does to `(token, account)`.
    enum Op {
        Add, // exclude a new address
        Remove, // stop excluding it
        Update // change its kind and evidence
    }

    enum State {
        None,
        Pending,
        Executed,
        Cancelled
    }

    struct Proposal {
        address token;
        address account;
        Op op;
        State state;
        uint40 eta; // executable from here
        uint40 expiresAt; // eta + grace (executable while block.timestamp < expiresAt)
        bytes32 kind;
        bytes32 evidence;
    }

    struct Entry {
        uint8 position; // 1-based in _accounts[token], 0 = not excluded
        bytes32 kind;
        bytes32 evidence;
    }

    address public guardian;
    uint32 public delay;
    uint32 public grace;
    uint256 public proposalCount;
    mapping(uint256 id => Proposal) internal _proposals;
    mapping(address token => address[]) internal _accounts;
    mapping(address token => mapping(address account => Entry)) internal _entries;

    event ChangeProposed(
        uint256 indexed id,
        address indexed token,
        address indexed account,
        Op op,
        bytes32 kind,
        bytes32 evidence,
        uint40 eta,
        uint40 expiresAt
    );
    event ChangeExecuted(uint256 indexed id, address indexed token, address indexed account, Op op);
    event ChangeCancelled(uint256 indexed id, address indexed by);
    event DelaySet(uint32 delay);
    event GraceSet(uint32 grace);
    event GuardianSet(address indexed previous, address indexed current);

    error ZeroAddress();
    error NotOwnerOrGuardian(address caller);
    error DelayOutOfBounds(uint32 delay);
    error GraceOutOfBounds(uint32 grace);
    error UnknownKind(bytes32 kind);
    error AlreadyExcluded(address token, address account);
    error NotExcluded(address token, address account);
    error TooManyExcluded(address token, uint256 max);
    error UnknownProposal(uint256 id);
    error ProposalNotPending(uint256 id, State state);
    error ProposalNotReady(uint256 id, uint40 eta);
    error ProposalExpired(uint256 id, uint40 expiresAt);
    error TokenHasNoCode(address token);
    error ExcludedExceedsSupply(address token, uint256 totalSupply, uint256 excluded);
    error RenounceDisabled();

    constructor(address owner_, address guardian_, uint32 delay_, uint32 grace_) Ownable(owner_) {
        _setGuardian(guardian_);
        _setDelay(delay_);
        _setGrace(grace_);
    }

    // ---------------------------------------------------------------- proposals

    /// @notice Proposes a change (owner). Checks what can be checked now; `execute` checks again.
    function propose(address token, address account, Op op, bytes32 kind, bytes32 evidence)
        external
        onlyOwner
        returns (uint256 id)
    {
        if (token == address(0) || account == address(0)) revert ZeroAddress();
        _validate(token, account, op, kind);
        id = ++proposalCount;
        uint40 eta = uint40(block.timestamp) + delay;
        uint40 expiresAt = eta + grace;
        _proposals[id] = Proposal(token, account, op, State.Pending, eta, expiresAt, kind, evidence);
        emit ChangeProposed(id, token, account, op, kind, evidence, eta, expiresAt);
    }

    /// @notice Executes a pending proposal once `eta` is reached and before it expires (anyone).
    function execute(uint256 id) external {
        Proposal storage p = _pending(id);
        if (block.timestamp < p.eta) revert ProposalNotReady(id, p.eta);
        if (block.timestamp >= p.expiresAt) revert ProposalExpired(id, p.expiresAt);
        (address token, address account, Op op) = (p.token, p.account, p.op);
        _validate(token, account, op, p.kind);
        p.state = State.Executed;
        if (op == Op.Add) {
            _accounts[token].push(account);
            _entries[token][account] = Entry(uint8(_accounts[token].length), p.kind, p.evidence);
        } else if (op == Op.Remove) {
            address[] storage list = _accounts[token];
            uint8 pos = _entries[token][account].position;
            address last = list[list.length - 1];
            list[pos - 1] = last;
            _entries[token][last].position = pos;
            list.pop();
            delete _entries[token][account];
        } else {
            Entry storage e = _entries[token][account];
            (e.kind, e.evidence) = (p.kind, p.evidence);
        }
        emit ChangeExecuted(id, token, account, op);
    }

    /// @notice Cancels a pending proposal (owner or guardian).
    function cancel(uint256 id) external {
        if (msg.sender != owner() && msg.sender != guardian) revert NotOwnerOrGuardian(msg.sender);
        _pending(id).state = State.Cancelled;
        emit ChangeCancelled(id, msg.sender);
    }

    /// @notice A proposal by id.
    function proposal(uint256 id) external view returns (Proposal memory) {
        if (id == 0 || id > proposalCount) revert UnknownProposal(id);
        return _proposals[id];
    }

    function _pending(uint256 id) private view returns (Proposal storage p) {
        if (id == 0 || id > proposalCount) revert UnknownProposal(id);
        p = _proposals[id];
        if (p.state != State.Pending) revert ProposalNotPending(id, p.state);
    }

    function _validate(address token, address account, Op op, bytes32 kind) private view {
        bool excluded = _entries[token][account].position != 0;
        if (op == Op.Remove) {
            if (!excluded) revert NotExcluded(token, account);
            return;
        }
        if (!isKnownKind(kind)) revert UnknownKind(kind);
        if (op == Op.Add) {
            if (excluded) revert AlreadyExcluded(token, account);
            if (_accounts[token].length >= MAX_EXCLUDED) revert TooManyExcluded(token, MAX_EXCLUDED);
        } else if (!excluded) {
            revert NotExcluded(token, account);
        }
    }

    /// @notice Whether `kind` is one of vesting, treasury, burn, bridge, team, exchange-cold, other.
    function isKnownKind(bytes32 kind) public pure returns (bool) {
        return kind == "vesting" || kind == "treasury" || kind == "burn" || kind == "bridge" || kind == "team"
            || kind == "exchange-cold" || kind == "other";
    }

    // ---------------------------------------------------------------- reads

    /// @inheritdoc IExcludedAddressRegistry
    function excludedOf(address token)
        external
        view
        returns (address[] memory accounts, bytes32[] memory kinds, bytes32[] memory evidence)
    {
        accounts = _accounts[token];
        kinds = new bytes32[](accounts.length);
        evidence = new bytes32[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            Entry storage e = _entries[token][accounts[i]];
            (kinds[i], evidence[i]) = (e.kind, e.evidence);
        }
    }

    /// @notice Whether `account` is excluded for `token`, with its kind and evidence.
    function exclusion(address token, address account)
        external
        view
        returns (bool excluded, bytes32 kind, bytes32 evidence)
    {
        Entry storage e = _entries[token][account];
        return (e.position != 0, e.kind, e.evidence);
    }

    /// @notice Number of excluded addresses of `token`.
    function excludedCount(address token) external view returns (uint256) {
        return _accounts[token].length;
    }

    /// @inheritdoc IExcludedAddressRegistry
    function onChainCirculating(address token) external view returns (uint256) {
        if (token.code.length == 0) revert TokenHasNoCode(token);
        uint256 total = IERC20(token).totalSupply();
        address[] storage list = _accounts[token];
        uint256 excluded;
        for (uint256 i; i < list.length; ++i) {
            excluded += IERC20(token).balanceOf(list[i]);
        }
        if (excluded > total) revert ExcludedExceedsSupply(token, total, excluded);
        return total - excluded;
    }

    // ---------------------------------------------------------------- governance

    /// @notice Sets the delay of future proposals (1 hour ..= 30 days).
    function setDelay(uint32 delay_) external onlyOwner {
        _setDelay(delay_);
    }

    /// @notice Sets the grace period of future proposals.
    function setGrace(uint32 grace_) external onlyOwner {
        _setGrace(grace_);
    }

    /// @notice Replaces the guardian.
    function setGuardian(address guardian_) external onlyOwner {
        _setGuardian(guardian_);
    }

    /// @notice Disabled: without an owner no exclusion could ever be changed again.
    function renounceOwnership() public pure override {
        revert RenounceDisabled();
    }

    function _setDelay(uint32 d) private {
        if (d < MIN_DELAY || d > MAX_DELAY) revert DelayOutOfBounds(d);
        delay = d;
        emit DelaySet(d);
    }

    function _setGrace(uint32 g) private {
        if (g < MIN_GRACE || g > MAX_GRACE) revert GraceOutOfBounds(g);
        grace = g;
        emit GraceSet(g);
    }

    function _setGuardian(address g) private {
        if (g == address(0)) revert ZeroAddress();
        emit GuardianSet(guardian, g);
        guardian = g;
    }
}
