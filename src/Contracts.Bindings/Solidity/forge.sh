#!/usr/bin/env bash
# Runs the pinned forge (deploy/node_modules, see deploy/package.json) on this Foundry project with solc-js 0.8.37
# through tools/solc, from any working directory: forge.sh build | test | script ... (any forge arguments).
# `forge.sh test` also checks that the committed artifacts (../Artifacts) match a fresh compile.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
forge="$root/deploy/node_modules/@foundry-rs/forge-linux-amd64/bin/forge"
[ -x "$forge" ] || "$root/deploy/install-tools.sh"
export FOUNDRY_DISABLE_NIGHTLY_WARNING=1
export SUPPLYORACLE_CAST="$root/deploy/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"
cd "$here"
cmd="${1:-}"
case "$cmd" in
  test)
    "$forge" build --use "$here/tools/solc" --offline >/dev/null
    node "$here/tools/export-artifacts.cjs" --check
    exec "$forge" "$@" --use "$here/tools/solc" --offline
    ;;
  build|script|inspect|coverage|snapshot)
    exec "$forge" "$@" --use "$here/tools/solc" --offline
    ;;
  *)
    exec "$forge" "$@"
    ;;
esac
