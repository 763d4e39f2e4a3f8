#!/usr/bin/env bash
# The web dashboard's page weight and render time (issue 21: each page < 300 KB transferred and < 1 s) with 100 tokens
# and 1,000 rounds in the database (a throwaway PostgreSQL from TestSupport, an oracle network on anvil).
# Options: --rounds N, --tokens N, --reporters N, --repeat N. Exits 1 when a page is over either limit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- dashboard "$@"
