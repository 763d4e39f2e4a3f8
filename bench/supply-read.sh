#!/usr/bin/env bash
# Reporter supply read (docs/protocol.md sections 3 and 4): on a local anvil with the registry and 100 ERC-20 tokens of 20
# excluded addresses each, prints the JSON-RPC round trips and wall time of the reporter's pinned read and of a naive
# one-call-per-balance read in the same run. Target: <= 2 round trips.
# Usage: ./bench.sh supply-read [tokens] [excluded-per-token] [repeats]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- supply-read "$@"
