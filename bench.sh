#!/usr/bin/env bash
# Benchmarks that print their figures: ./bench.sh NAME [args...]; ./bench.sh with no name lists them.
# Each benchmark is bench/NAME.sh (see the header of each for what it measures and the target).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
list() { for f in bench/*.sh; do [ -e "$f" ] && basename "$f" .sh; done; }
if [ $# -eq 0 ]; then
  echo "usage: ./bench.sh NAME [args...]; available:"; list | sed 's/^/  /'; exit 2
fi
name=$1; shift
if [ ! -f "bench/$name.sh" ]; then
  echo "no benchmark named '$name'; available: $(list | tr '\n' ' ')" >&2; exit 2
fi
./deploy/install-tools.sh
exec bash "bench/$name.sh" "$@"
