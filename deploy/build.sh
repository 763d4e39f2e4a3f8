#!/usr/bin/env bash
# Builds the solution in Release, once per checkout at a time: concurrent callers (test.sh, devnet.sh) wait on a lock.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
(
  flock 9
  dotnet build SupplyOracle.sln -c Release -nologo -v quiet -clp:ErrorsOnly
) 9>"$root/.build.lock"
