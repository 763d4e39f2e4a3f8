#!/usr/bin/env bash
# Commit gas per token of SupplyOracle (issue 3): steady-state commits of 1, 10, 50, 100 and 200 tokens with
# 7 reporters and quorum 5, measured as real transactions on anvil (receipt gasUsed). Target: the last line's
# figure (100 tokens) <= 6,000. See src/Contracts.Bindings/Solidity/bench/commit-gas.cjs for what is included.
# Then the consumers' gas per call (issue 23): each weighting methodology for 10 and 50 tokens
# (src/Contracts.Bindings/Solidity/bench/consumer-gas.cjs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/src/Contracts.Bindings/Solidity/forge.sh" build >/dev/null
NODE_PATH="$root/deploy/node_modules" node "$root/src/Contracts.Bindings/Solidity/bench/commit-gas.cjs" "$@"
NODE_PATH="$root/deploy/node_modules" exec node "$root/src/Contracts.Bindings/Solidity/bench/consumer-gas.cjs"
