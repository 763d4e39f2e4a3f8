#!/usr/bin/env bash
# The aggregator's query projection catching up on Marten's daemon over full rounds (7 reporters x 200 tokens per round by
# default), then Marten's rebuild checked to equal the live documents, on a throwaway PostgreSQL (TestSupport, fsync=off).
# Options: --rounds N, --reporters N, --tokens N.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- query-projection "$@"
