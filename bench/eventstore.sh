#!/usr/bin/env bash
# Marten event store throughput on a throwaway PostgreSQL (TestSupport, fsync=off): Marten Quick appends (batches 1/10/100,
# 1 and 8 writers, expected version) and a raw multi-row INSERT of the same rows into Marten's own mt_events table in the same
# run; prints the ratio. Options: --seconds N (per figure, default 3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- eventstore "$@"
