#!/usr/bin/env bash
# The aggregator's query projection catching up over full rounds (7 reporters x 200 tokens per round by default), then a
# verifying rebuild, on a throwaway PostgreSQL (TestSupport, fsync=off). Options: --rounds N, --reporters N, --tokens N.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- query-projection "$@"
