#!/usr/bin/env bash
# Runs the whole Supply Oracle network locally: a throwaway PostgreSQL cluster, anvil (a block a second), the contracts
# and four ERC-20 tokens with realistic holders, one aggregator and five reporters (their own keys, one with an HTTP
# free-float source), an exclusion through the governance CLI, and a live view of rounds, factors and commits.
#   deploy/devnet.sh [--rounds N] [--dir DIR] [--keep] [--timeout SECONDS]
# --rounds N stops after N rounds committed on chain and prints a summary whose last line is "committed rounds: N".
# Ctrl-C stops every process and deletes DIR (default .devnet/ in the repository) unless --keep.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

./deploy/install-tools.sh
./deploy/build.sh
exec dotnet "$root/tools/Devnet/bin/Release/net10.0/supplyoracle-devnet.dll" "$@"
