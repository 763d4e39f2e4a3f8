// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {OracleFixture} from "./OracleFixture.sol";
import {vm} from "./Vm.sol";
import {TestToken} from "../../src/testing/TestToken.sol";

/// @notice The oracle fixture with six listed tokens and the worked-example inputs of tools/weights-examples.cjs
/// (keep the two in sync: the script computes the expected weights the consumer tests assert).
abstract contract ConsumerFixture is OracleFixture {
    uint256 internal constant N = 6;
    address[] internal ts;
    uint256[] internal prices;
    uint256[] internal liquidity;
    uint256[] internal current;

    function setUp() public virtual override {
        super.setUp();
        for (uint256 i = tokens.length; i < N; ++i) {
            TestToken t = new TestToken("Token", "TKN", 18, address(this));
            tokens.push(t);
            vm.prank(owner);
            oracle.listToken(address(t));
        }
        for (uint256 i = 1; i < N; ++i) {
            for (uint256 j = i; j > 0 && address(tokens[j]) < address(tokens[j - 1]); --j) {
                (tokens[j], tokens[j - 1]) = (tokens[j - 1], tokens[j]);
            }
        }
        uint256[N] memory p = [uint256(45.7e18), 12.34e18, 150.5e18, 2.873e18, 197.1e18, 3.3e18];
        uint256[N] memory l = [uint256(2_100_000e18), 9_000_000e18, 1_200_000e18, 800_000e18, 350_000e18, 20_000e18];
        for (uint256 i; i < N; ++i) {
            ts.push(tok(i));
            prices.push(p[i]);
            liquidity.push(l[i]);
            current.push(i == 4 ? 0 : 0.2e18); // five members; token 4 is not one (buffered example)
        }
    }

    /// @dev The example's circulating supply of token `i` times `multPercent` / 100.
    function exampleCirculating(uint256 i, uint256 multPercent) internal pure returns (uint128) {
        uint128[N] memory c = [uint128(2_000_000e18), 5_737_705e18, 342_466e18, 19_047_619e18, 133_333e18, 114_285e18];
        return uint128(uint256(c[i]) * multPercent / 100);
    }

    function exampleFactor(uint256 i) internal pure returns (uint64) {
        uint64[N] memory f = [uint64(0.5e18), 0.61e18, 0.73e18, 0.42e18, 0.9e18, 0.35e18];
        return f[i];
    }

    /// @dev Commits every example token, circulating scaled by `mult[i]` percent, after `dt` seconds.
    function commitExample(uint256 dt, uint256[N] memory mult) internal {
        bytes memory u;
        for (uint256 i; i < N; ++i) {
            u = bytes.concat(u, upd(tok(i), exampleCirculating(i, mult[i]), exampleFactor(i), 0));
        }
        commitNext(dt, u, 3);
    }

    function flat() internal pure returns (uint256[N] memory m) {
        for (uint256 i; i < N; ++i) {
            m[i] = 100;
        }
    }

    function sum(uint256[] memory w) internal pure returns (uint256 s) {
        for (uint256 i; i < w.length; ++i) {
            s += w[i];
        }
    }

    function assertWeights(uint256[] memory w, uint256[N] memory expected, string memory what) internal pure {
        assertEq(w.length, N, what);
        for (uint256 i; i < N; ++i) {
            assertEq(w[i], expected[i], what);
        }
        assertEq(sum(w), 1e18, what);
    }
}
