#!/usr/bin/env bash
# Builds the solution in Release, once per checkout at a time: concurrent callers (test.sh, devnet.sh) wait on a lock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
(
  flock 9
  # Progress, one line per project as it is built (a first build takes minutes on two cores); errors as they come.
  echo "building the solution (Release)…" >&2
  start=$SECONDS
  dotnet build SupplyOracle.sln -c Release -nologo -v minimal -tl:off -clp:NoSummary \
    | sed -u -nE 's|^ *([A-Za-z0-9_.]+) -> .*|  built \1|p; /(error|warning) [A-Z]+[0-9]+/p' >&2
  echo "built in $((SECONDS - start)) s" >&2
) 9>"$root/.build.lock"
