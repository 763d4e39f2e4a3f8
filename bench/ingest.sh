#!/usr/bin/env bash
# End-to-end aggregator ingestion: 7 reporters' Connect streams over gRPC, batch verification (EIP-712 signature against
# the on-chain reporter set on anvil, canonical B_r), event append to a throwaway PostgreSQL; 200 tokens per batch.
# Prints token-observations per second (the Marten store runs its HotCold daemon beside intake, as in the service).
# Target: >= 20,000/s on 2 cores. Options: --rounds N (10..240, default 200).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- ingest "$@"
