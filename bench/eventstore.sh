#!/usr/bin/env bash
# Event store throughput on a throwaway PostgreSQL (TestSupport, fsync=off): appends (batches 1/10/100, 1 and 8 writers),
# raw multi-row INSERT of the same rows, catch-up over 1,000,000 events. Target: append events/s (batches of 100)
# >= 50,000 and ratio to raw insert >= 0.5. Options: --seconds N (per figure, default 3), --catchup-events N.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- eventstore "$@"
