#!/usr/bin/env bash
# Protocol layer (docs/protocol.md sections 4 to 7): a reporter's check of one proposal with 31 evidence batches of TOKENS
# observations (default 200): every batch's EIP-712 digest and signer recovery, then the rules re-run; and the
# aggregator's verification of one received batch. Usage: ./bench.sh protocol [tokens] [seconds]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- protocol "$@"
