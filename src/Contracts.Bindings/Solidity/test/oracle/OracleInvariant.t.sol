// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "../util/OracleFixture.sol";
import {vm, Vm} from "../util/Vm.sol";
import {SupplyOracle} from "../../src/SupplyOracle.sol";
import {Params, TokenView} from "../../src/oracle/OracleTypes.sol";

/// @notice Drives random commits (rule-produced and arbitrary factors, frozen entries, time jumps) and checks every
/// outcome against a plain reference model of PROTOCOL.md section 5 steps 7-11, written independently of the
/// contract's Yul. A factor f is producible from the stored state iff model(f) == f (the clamps are idempotent on
/// their image), so: accepted <=> (cooldown passed and model(f) == f). Violations are counted, not reverted, so the
/// invariant functions see them.
contract OracleHandler is OracleFixture {
    uint256 public violations;
    uint256 public commits;
    uint256 public accepted;
    uint64 public maxLastRoundSeen;
    bytes32 public lastViolation;

    constructor() {
        setUp();
    }

    function tokenAt(uint256 i) external view returns (address) {
        return tok(i);
    }

    function _flag(bytes32 what) internal {
        ++violations;
        lastViolation = what;
    }

    /// @dev Section 5 steps 9-11 from the stored state, for a target (and the anchor it would store).
    function model(TokenView memory s, uint256 target, uint256 t, Params memory p)
        public
        pure
        returns (uint256 next, uint256 anchor, uint256 anchorAt)
    {
        uint256 prev = s.factor;
        uint256 step = prev * p.maxFactorDeltaBps / 10_000;
        next = target;
        if (next < prev - step) next = prev - step;
        if (next > prev + step) next = prev + step;
        (anchor, anchorAt) = (s.anchor, s.anchorAt);
        if (t >= anchorAt + p.window) (anchor, anchorAt) = (prev, t);
        uint256 wstep = anchor * p.maxWindowDeltaBps / 10_000;
        if (next < anchor - wstep) next = anchor - wstep;
        if (next > anchor + wstep) next = anchor + wstep;
        if (next < 1) next = 1;
        if (next > WAD) next = WAD;
    }

    /// @param mode 0: arbitrary factor; 1: what the rules give for a target; 2: that -1; 3: that +1. Targets are
    /// often the extremes, so the rules' answer is a clamp bound and modes 2 and 3 probe both sides of it.
    function commitOne(uint256 tokenSeed, uint256 factorSeed, uint256 dtSeed, uint8 mode) external {
        address token = tok(tokenSeed % 3);
        // Mostly just past the cooldown (several moves inside one window reach the window bounds), sometimes long
        // jumps (window roll-overs) or too soon.
        uint256 dt = dtSeed % 4 == 0 ? (dtSeed >> 2) % 2 days : 1 hours + (dtSeed >> 2) % 2 hours;
        (uint64 r, uint64 t, bytes32 h) = nextRound(dt);
        Params memory p = oracle.params();
        TokenView memory pre = oracle.tokenState(token);
        uint256 f = factorSeed % (WAD + WAD / 10); // includes 0 and values above 1e18
        mode %= 4;
        if (mode != 0 && pre.initialized) {
            uint256 pick = factorSeed % 3;
            uint256 target = pick == 0 ? 1 : (pick == 1 ? WAD : 1 + (factorSeed >> 8) % WAD);
            (f,,) = model(pre, target, t, p);
            if (mode == 2) f -= 1;
            if (mode == 3) f += 1;
        }
        bytes memory u = upd(token, 1e24, uint64(f), 0);
        vm.recordLogs();
        oracle.commit(r, t, h, u, sigs(digestOf(r, t, h, u), 3));
        bool wasAccepted = countLogs(vm.getRecordedLogs(), address(oracle), SupplyOracle.Rejected.selector) == 0;
        ++commits;
        _checkRound(r);
        TokenView memory post = oracle.tokenState(token);

        bool expectAccept;
        uint256 expAnchor = f;
        uint256 expAnchorAt = t;
        if (f >= 1 && f <= WAD) {
            if (!pre.initialized) {
                expectAccept = true;
            } else if (t >= uint256(pre.committedAt) + p.minCommitInterval) {
                uint256 next;
                (next, expAnchor, expAnchorAt) = model(pre, f, t, p);
                expectAccept = next == f;
            }
        }
        if (wasAccepted && (post.committedAt != t || post.factor != f || !post.initialized)) _flag("accepted, not stored");
        if (wasAccepted != expectAccept) _flag("accept != model");
        if (expectAccept) {
            ++accepted;
            if (post.anchor != expAnchor || post.anchorAt != expAnchorAt) _flag("anchor != model");
        } else if (post.factor != pre.factor || post.committedAt != pre.committedAt || post.anchor != pre.anchor) {
            _flag("rejected update changed state");
        }
        if (post.initialized && (post.factor < 1 || post.factor > WAD)) _flag("factor out of [1, 1e18]");
    }

    /// @dev Governance retunes the clamps (e.g. narrows the window so it and the step range are disjoint).
    function tuneClamps(uint16 stepBps, uint16 windowBps) external {
        Params memory p = oracle.params();
        p.maxFactorDeltaBps = uint16(1 + uint256(stepBps) % 3000);
        p.maxWindowDeltaBps = uint16(1 + uint256(windowBps) % 3000);
        vm.prank(owner);
        oracle.setParams(p);
    }

    /// @dev Governance retunes the commit policy (section 8), sometimes to values the contract must refuse. A refused
    /// call must leave every parameter as it was; an accepted one must change only the two policy parameters.
    function tunePolicy(uint32 heartbeat, uint16 deviation) external {
        Params memory before = oracle.params();
        Params memory p = oracle.params();
        p.heartbeat = uint32(uint256(heartbeat) % (p.reportStaleAfter / 2 + 2 hours));
        p.supplyDeviationBps = uint16(uint256(deviation) % 12_000);
        bool valid = p.heartbeat >= p.minCommitInterval && p.heartbeat <= p.reportStaleAfter / 2 && p.supplyDeviationBps <= 10_000;
        vm.prank(owner);
        bool ok;
        try oracle.setParams(p) {
            ok = true;
        } catch {
            ok = false;
        }
        if (ok != valid) _flag("policy validation != section 8");
        Params memory post = oracle.params();
        Params memory expected = ok ? p : before;
        if (keccak256(abi.encode(post)) != keccak256(abi.encode(expected))) _flag("setParams stored something else");
    }

    function freezeOne(uint256 tokenSeed, uint8 status) external {
        address token = tok(tokenSeed % 3);
        TokenView memory pre = oracle.tokenState(token);
        (uint64 r, uint64 t, bytes32 h) = nextRound(60);
        bytes memory u = upd(token, pre.committedCirculating, pre.factor, 1 + status % 2);
        oracle.commit(r, t, h, u, sigs(digestOf(r, t, h, u), 3));
        _checkRound(r);
        TokenView memory post = oracle.tokenState(token);
        if (post.factor != pre.factor || post.committedAt != pre.committedAt) _flag("freeze moved the factor");
        if (pre.initialized && !post.frozen) _flag("freeze not applied");
    }

    function _checkRound(uint64 r) internal {
        uint64 last = oracle.lastRound();
        if (last < maxLastRoundSeen || last != r) _flag("lastRound not increasing");
        maxLastRoundSeen = last;
    }
}

contract OracleInvariantTest {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    OracleHandler internal handler;

    function setUp() public {
        handler = new OracleHandler();
    }

    /// @dev Read by forge's invariant runner: only the handler is called.
    function targetContracts() public view returns (address[] memory t) {
        t = new address[](1);
        t[0] = address(handler);
    }

    /// @dev Read by forge's invariant runner: only the handler's actions are called.
    function targetSelectors() public view returns (FuzzSelector[] memory t) {
        bytes4[] memory sel = new bytes4[](6);
        sel[0] = OracleHandler.commitOne.selector;
        sel[1] = OracleHandler.commitOne.selector; // weighted: commits are what the invariants are about
        sel[2] = OracleHandler.commitOne.selector;
        sel[3] = OracleHandler.freezeOne.selector;
        sel[4] = OracleHandler.tuneClamps.selector;
        sel[5] = OracleHandler.tunePolicy.selector;
        t = new FuzzSelector[](1);
        t[0] = FuzzSelector(address(handler), sel);
    }

    /// @dev Run by forge after each invariant run: the run must have exercised accepted commits.
    function afterInvariant() public view {
        if (handler.commits() > 4 && handler.accepted() == 0) revert("no commit was ever accepted");
    }

    function invariant_everyOutcomeMatchesTheRulesModel() public view {
        if (handler.violations() != 0) revert(string(abi.encodePacked(handler.lastViolation())));
    }

    function invariant_committedFactorAlwaysInRange() public view {
        SupplyOracle o = SupplyOracle(address(handler.oracle()));
        for (uint256 i; i < 3; ++i) {
            TokenView memory v = o.tokenState(handler.tokenAt(i));
            if (v.initialized && (v.factor < 1 || v.factor > 1e18)) revert("factor out of range");
        }
    }

    /// @dev Whatever governance tried, the stored parameters obey section 8's commit policy rules.
    function invariant_storedPolicyParametersObeySection8() public view {
        Params memory p = SupplyOracle(address(handler.oracle())).params();
        if (p.heartbeat < p.minCommitInterval || p.heartbeat > p.reportStaleAfter / 2) revert("heartbeat out of range");
        if (p.supplyDeviationBps > 10_000) revert("supplyDeviationBps out of range");
    }

    function invariant_lastRoundNeverDecreases() public view {
        SupplyOracle o = SupplyOracle(address(handler.oracle()));
        if (o.lastRound() < handler.maxLastRoundSeen()) revert("lastRound decreased");
    }
}
