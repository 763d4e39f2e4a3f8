#!/usr/bin/env bash
# secp256k1 signatures and recoveries per second on one core (one thread pinned with taskset when available),
# EIP-712 batch digests and Keccak-256 throughput. Usage: ./bench.sh crypto [seconds-per-figure]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
dotnet build bench/Benchmarks -c Release -v q -nologo >/dev/null
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
exec "${pin[@]}" dotnet bench/Benchmarks/bin/Release/net10.0/SupplyOracle.Benchmarks.dll crypto "$@"
