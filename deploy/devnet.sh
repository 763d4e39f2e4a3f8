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

usage() {
  cat <<'USAGE'
usage: deploy/devnet.sh [--rounds N] [--dir DIR] [--keep] [--timeout SECONDS] [--no-build]
Runs the whole Supply Oracle network locally (PostgreSQL, anvil, the contracts and four tokens, one aggregator, five
reporters) with a live view. The endpoints (aggregator gRPC and HTTP, reporters' health, anvil, the owner key) are
printed at start and written to DIR/endpoints.env.
  --rounds N         stop after N rounds committed on chain; the last line is "committed rounds: N"
  --dir DIR          keys, configuration, journals and logs (default: .devnet/ in the repository)
  --keep             keep DIR when the network stops
  --timeout SECONDS  with --rounds: fail after this long (default 300)
  --no-build         skip installing the tools and building (they are current)
USAGE
}

args=()
build=1
for a in "$@"; do
  case "$a" in
    -h|--help) usage; exit 0 ;;
    --no-build) build=0 ;;
    *) args+=("$a") ;;
  esac
done
if [ "$build" -eq 1 ]; then
  echo "[devnet] installing the pinned tools and building (a first build takes a few minutes; --no-build skips this)"
  ./deploy/install-tools.sh
  ./deploy/build.sh
fi
exec dotnet "$root/tools/Devnet/bin/Release/net10.0/supplyoracle-devnet.dll" ${args[@]+"${args[@]}"}
