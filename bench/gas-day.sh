#!/usr/bin/env bash
# Commit policy over a simulated week (issue 20, docs/protocol.md section 5 step 12): on one anvil, two SupplyOracles with
# 100 tokens, 7 reporters and quorum 5 see the same hourly change pattern (bench/Benchmarks/GasDay/ChangePattern.cs:
# a factor tier change per token every ~10 days on average, excluded balances drifting 0.1 %/day, five vesting unlocks);
# one applies the policy (heartbeat 12 h falling due at 12-hour period boundaries, protocol 1.2; supplyDeviationBps 50),
# the other commits every round. Every round is the
# full protocol flow (signed batches, rules, proposal verification, attestations, commit); gas is receipt gasUsed.
# Prints gas per token per day of both, and the ratio. Targets: ratio <= 0.1, <= 15,000 gas per token per day.
# Usage: ./bench.sh gas-day [hours=168] [tokens=100] [seed=20] [drift-percent-per-day=0.1] [random|daily tier changes]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec dotnet run --project bench/Benchmarks -c Release -- gas-day "$@"
