#!/usr/bin/env bash
# Rebuilds the contracts and writes their ABI + bytecode to ../Artifacts (for the C# bindings);
# --check only verifies that the committed artifacts equal a fresh compile (forge.sh test runs it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/forge.sh" build >/dev/null
exec node "$here/tools/export-artifacts.cjs" "$@"
