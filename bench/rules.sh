#!/usr/bin/env bash
# Rules engine (docs/protocol.md section 5): time to evaluate one round of TOKENS tokens (default 200) observed by 31
# reporters, including the 45-byte update encoding. Target: well under 100 ms per round, since every reporter re-runs
# it for each proposal. Usage: ./bench.sh rules [tokens] [seconds]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- rules "$@"
