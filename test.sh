#!/usr/bin/env bash
# Runs every test of the project: installs the pinned tools if needed, builds, runs the Solidity tests (forge) and
# every .NET test project against real PostgreSQL and anvil started by the test fixtures.
# Two runs at once on one machine do not collide: ports are probed per fixture, data lives in fresh temp directories,
# and install + build of one checkout are serialised by a lock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# --no-containers: leave out the container tests (tests/Containers.Tests, issue 22) on a machine without a Docker engine;
# the line before the summary says so. Without it a missing engine is prepared (deploy/containers.sh) or the run fails.
containers=1
for a in "$@"; do
  case "$a" in
    --no-containers) containers=0 ;;
    *) echo "usage: ./test.sh [--no-containers]" >&2; exit 2 ;;
  esac
done

./deploy/install-tools.sh

results="$(mktemp -d "${TMPDIR:-/tmp}/supplyoracle-test-XXXXXX")"
trap 'rm -rf "$results"' EXIT

./deploy/build.sh

container_filter=()
if [ "$containers" -eq 1 ]; then
  echo "== container engine and local base images (deploy/containers.sh)"
  export SUPPLYORACLE_CONTAINERS_TIMINGS="$results/containers.timings"
  trap './deploy/containers.sh down "$results/engine"; rm -rf "$results"' EXIT
  ./deploy/containers.sh up "$results/engine"
else
  container_filter=(--filter 'FullyQualifiedName!~SupplyOracle.Containers.Tests')
fi

forge_passed=0 forge_failed=0
if [ -x src/Contracts.Bindings/Solidity/forge.sh ]; then
  echo "== forge test (src/Contracts.Bindings/Solidity)"
  set +e
  (flock 9; src/Contracts.Bindings/Solidity/forge.sh test) 9>"$root/.build.lock" 2>&1 | tee "$results/forge.log"
  forge_rc=${PIPESTATUS[0]}
  set -e
  summary="$(grep -E '^Ran [0-9]+ test suites' "$results/forge.log" | tail -1 || true)"
  forge_passed="$(sed -nE 's/.*: ([0-9]+) tests passed.*/\1/p' <<<"$summary")"
  forge_failed="$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$summary")"
  forge_passed=${forge_passed:-0} forge_failed=${forge_failed:-0}
  [ "$forge_rc" -eq 0 ] || [ "$forge_failed" -gt 0 ] || forge_failed=1
fi

echo "== dotnet test"
# One test assembly at a time (-m:1): on two cores running them side by side saves no time (2 min 51 s either way) and
# starves the timing-sensitive live tests (anvil, PostgreSQL and the real executables) of CPU.
set +e
dotnet test SupplyOracle.sln -c Release --no-build -nologo -m:1 --blame-hang-timeout 10m ${container_filter[@]+"${container_filter[@]}"} \
  -- RunConfiguration.TreatNoTestsAsError=false 2>&1 | tee "$results/dotnet.log"
dotnet_rc=${PIPESTATUS[0]}
set -e

# One summary line per test assembly: "Passed!  - Failed:     0, Passed:    10, Skipped: ..."
read -r passed failed < <(awk 'match($0, /- Failed: +[0-9]+, Passed: +[0-9]+,/) {
  split(substr($0, RSTART, RLENGTH), a, /[^0-9]+/); f += a[2]; p += a[3] } END { print p + 0, f + 0 }' "$results/dotnet.log")
passed=$((${passed:-0} + forge_passed)) failed=$((${failed:-0} + forge_failed))
[ "$dotnet_rc" -eq 0 ] || [ "$failed" -gt 0 ] || failed=$((failed + 1))

# The smoke run of the whole network (issue 11): three rounds committed on chain by the real executables. Its own
# directory under TMPDIR and free ports keep two concurrent test.sh runs apart.
echo "== devnet smoke (deploy/devnet.sh --rounds 3)"
devnet_dir="$(mktemp -d "${TMPDIR:-/tmp}/supplyoracle-devnet-XXXXXX")"
set +e
./deploy/devnet.sh --no-build --rounds 3 --dir "$devnet_dir" 2>&1 | tee "$results/devnet.log"
devnet_rc=${PIPESTATUS[0]}
set -e
rm -rf "$devnet_dir"
# The run must also have told the operator where everything is (issue 19): the aggregator's endpoints, each
# reporter's health address and the owner key.
endpoints_shown=1
for want in 'aggregator gRPC ' 'aggregator HTTP ' 'reporter-1 health ' 'reporter-5 health ' 'owner and guardian '; do
  grep -q "\[devnet\] $want" "$results/devnet.log" || { echo "devnet output does not show '$want'"; endpoints_shown=0; }
done
if [ "$devnet_rc" -eq 0 ] && [ "$endpoints_shown" -eq 1 ] && [ "$(tail -1 "$results/devnet.log")" = "committed rounds: 3" ]; then
  passed=$((passed + 1))
else
  echo "devnet smoke failed (exit $devnet_rc)"
  failed=$((failed + 1))
fi

[ "$containers" -eq 1 ] || echo "container tests: left out (--no-containers)"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
