// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ISupplyOracle} from "../ISupplyOracle.sol";

/// @title FreeFloatHistory: time-weighted average committed free-float supply, recorded by anyone, trusted by no one
/// @notice Anyone may `poke` a token after a commit: the contract reads the oracle itself (PROTOCOL.md section 9,
/// `freeFloatFactor` for the reference time `committedAt`, `committedFreeFloatSupply` for the supply fixed at that
/// round's reference block) and records the pair at most once per commit (a new `committedAt`), in a ring buffer of
/// `capacity` points per token. A caller can pass nothing but the token, so the history holds only what the oracle
/// committed. Nothing in SupplyOracle changes for it.
///
/// The supply is a step function of time: the supply recorded at reference time t_j holds until the next recorded
/// point, and the last one until now. `averageSupply(token, window)` is
/// `floor( integral of that function over [now - window, now] / window )`, exact in integers. Each point keeps the
/// running integral up to its time (sum of supply * seconds, modulo 2**216: a window's integral is at most
/// 2**128 * 2**40, so differences modulo 2**216 are exact), so an average costs a binary search over the ring, not a
/// walk over every point in the window.
///
/// It reverts rather than answer with less than it claims: `HistoryTooShort` when the oldest retained point is later
/// than the window's start, `HistoryBehind` when the oracle has committed the token since its last recorded point
/// (poke first, in the same transaction). A commit nobody poked before the next one is missing from the history: the
/// previous value then stands in for it until the next point, so keepers (or the aggregator) should poke after each
/// commit. Sizing: with the default parameters a token commits at most hourly and at least every `heartbeat`
/// (12 hours), so 30 days need 60 to 720 points; `capacity` bounds the history, not the gas of a read.
contract FreeFloatHistory {
    /// @notice The window of `averageSupply(token)`.
    uint256 public constant DEFAULT_WINDOW = 30 days;
    uint256 private constant MASK = (1 << 216) - 1;

    /// @dev The newest point of a token and how many points were ever recorded for it.
    struct Head {
        uint40 time;
        uint128 supply;
        uint64 count;
    }

    /// @dev A recorded point: its reference time and the integral of supply over time from the token's first point.
    struct Point {
        uint40 time;
        uint216 cumulative;
    }

    ISupplyOracle public immutable oracle;
    /// @notice Points kept per token (the oldest is overwritten first).
    uint256 public immutable capacity;

    mapping(address token => Head) private _head;
    mapping(address token => mapping(uint256 slot => Point)) private _ring;

    /// @notice A commit of `token` recorded: its reference time and committed free-float supply (native units).
    event Recorded(address indexed token, uint40 committedAt, uint256 supply);

    error CapacityTooSmall(uint256 capacity);
    error ZeroWindow();
    error NoHistory(address token);
    /// @notice The history of `token` starts at `oldest`, after the window's start `start`.
    error HistoryTooShort(address token, uint256 oldest, uint256 start);
    /// @notice The oracle committed `token` at `committedAt`, after its last recorded point `recordedAt`: poke first.
    error HistoryBehind(address token, uint40 recordedAt, uint40 committedAt);

    constructor(ISupplyOracle oracle_, uint256 capacity_) {
        if (capacity_ < 2) revert CapacityTooSmall(capacity_);
        oracle = oracle_;
        capacity = capacity_;
    }

    /// @notice Records the oracle's latest commit of `token` unless already recorded.
    /// @return recorded false when this commit is already in the history.
    /// @dev Reverts with the oracle's error when it does not serve the token (`Paused`, `NotInitialized`,
    /// `CommitTooOld`).
    function poke(address token) external returns (bool recorded) {
        return _poke(token, true);
    }

    /// @notice `poke` for each of `tokens`, skipping (not reverting on) the ones the oracle does not serve.
    /// @return recorded how many new points were recorded.
    function pokeMany(address[] calldata tokens) external returns (uint256 recorded) {
        for (uint256 i; i < tokens.length; ++i) {
            if (_poke(tokens[i], false)) ++recorded;
        }
    }

    /// @notice Time-weighted average committed free-float supply of `token` (native units) over the last 30 days.
    function averageSupply(address token) external view returns (uint256) {
        return averageSupply(token, DEFAULT_WINDOW);
    }

    /// @notice Time-weighted average committed free-float supply of `token` (native units) over the last `window`
    /// seconds, `[block.timestamp - window, block.timestamp]`, rounded down.
    function averageSupply(address token, uint256 window) public view returns (uint256) {
        if (window == 0) revert ZeroWindow();
        Head memory h = _head[token];
        if (h.count == 0) revert NoHistory(token);
        (, uint40 committedAt,,) = oracle.freeFloatFactor(token);
        if (committedAt != h.time) revert HistoryBehind(token, h.time, committedAt);
        uint256 first = h.count > capacity ? h.count - capacity : 0;
        uint256 last = h.count - 1;
        uint256 oldest = _point(token, first).time;
        if (block.timestamp < window || oldest > block.timestamp - window) {
            revert HistoryTooShort(token, oldest, block.timestamp < window ? 0 : block.timestamp - window);
        }
        uint256 start = block.timestamp - window;
        unchecked {
            // Integral up to now: the last point's, plus its supply since.
            uint256 toEnd = _point(token, last).cumulative + uint256(h.supply) * (block.timestamp - h.time);
            // The newest point at or before `start` (exists: the oldest is), by binary search over the ring.
            uint256 lo = first;
            uint256 hi = last;
            while (lo < hi) {
                uint256 mid = (lo + hi + 1) / 2;
                if (_point(token, mid).time <= start) lo = mid;
                else hi = mid - 1;
            }
            Point memory p = _point(token, lo);
            uint256 supply = h.supply;
            if (lo != last) {
                // The supply of point lo, exactly: its integral increment over the time to the next point.
                Point memory q = _point(token, lo + 1);
                supply = ((q.cumulative - p.cumulative) & MASK) / (q.time - p.time);
            }
            uint256 toStart = p.cumulative + supply * (start - p.time);
            return ((toEnd - toStart) & MASK) / window;
        }
    }

    /// @notice The newest recorded point of `token` and how many points were ever recorded (0: none).
    function latest(address token) external view returns (uint40 committedAt, uint256 supply, uint256 count) {
        Head memory h = _head[token];
        return (h.time, h.supply, h.count);
    }

    /// @notice The reference time of the oldest point still held for `token` (0: none).
    function oldestTime(address token) external view returns (uint40) {
        uint256 count = _head[token].count;
        if (count == 0) return 0;
        return _point(token, count > capacity ? count - capacity : 0).time;
    }

    function _poke(address token, bool strict) private returns (bool) {
        (, uint40 committedAt,,) = oracle.freeFloatFactor(token);
        Head memory h = _head[token];
        // committedAt only grows (a token's commits are at least minCommitInterval apart in reference time).
        if (h.count != 0 && committedAt <= h.time) return false;
        uint256 supply;
        try oracle.committedFreeFloatSupply(token) returns (uint256 s) {
            supply = s;
        } catch (bytes memory reason) {
            if (!strict) return false;
            assembly ("memory-safe") {
                revert(add(reason, 32), mload(reason))
            }
        }
        uint256 cumulative;
        if (h.count != 0) {
            unchecked {
                cumulative = (_point(token, h.count - 1).cumulative + uint256(h.supply) * (committedAt - h.time)) & MASK;
            }
        }
        // casting to 'uint216' is safe because `cumulative` is masked to 216 bits above
        // forge-lint: disable-next-line(unsafe-typecast)
        _ring[token][h.count % capacity] = Point(committedAt, uint216(cumulative));
        _head[token] = Head(committedAt, SafeCast.toUint128(supply), h.count + 1);
        emit Recorded(token, committedAt, supply);
        return true;
    }

    /// @dev Point number `k` (0 = the first ever recorded) of `token`; valid for the last `capacity` ones.
    function _point(address token, uint256 k) private view returns (Point memory) {
        return _ring[token][k % capacity];
    }
}
