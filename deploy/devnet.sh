#!/usr/bin/env bash
# Runs the whole Supply Oracle network locally: a throwaway PostgreSQL cluster, anvil (a block a second), the contracts
# and four ERC-20 tokens with realistic holders, one aggregator and five reporters (their own keys, one with an HTTP
# free-float source), an exclusion through the governance CLI, and a live view of rounds, factors and commits.
#   deploy/devnet.sh [--rounds N] [--dir DIR] [--keep] [--timeout SECONDS] [--no-build]
# --no-build skips the install and build steps (test.sh has just done them).
# --rounds N stops after N rounds committed on chain and prints a summary whose last line is "committed rounds: N".
# Ctrl-C stops every process and deletes DIR (default .devnet/ in the repository) unless --keep.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

args=()
build=1
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done
if [ "$build" -eq 1 ]; then
  ./deploy/install-tools.sh
  ./deploy/build.sh
fi
exec dotnet "$root/tools/Devnet/bin/Release/net10.0/supplyoracle-devnet.dll" ${args[@]+"${args[@]}"}
