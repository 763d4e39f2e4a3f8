#!/usr/bin/env bash
# Installs what the build, the tests and the local network need, only when it is missing or out of date:
# the pinned npm tools (deploy/package.json + package-lock.json: anvil, forge, cast, solc-js, OpenZeppelin, grpc-js,
# ethers) with `npm ci`, and PostgreSQL / Node.js / Chromium from Debian's packages when the machine lacks them.
# Idempotent; safe to run concurrently (serialised by a lock).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: $* missing and not root; install with: sudo apt-get install -y $*" >&2
    exit 1
  fi
  echo "installing $* from Debian's packages" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
# The dashboard's browser tests drive Debian's Chromium (Microsoft.Playwright with ExecutablePath; no browser download).
command -v chromium >/dev/null 2>&1 || apt_install chromium
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_install postgresql
fi

exec 9>"$here/.install.lock"
flock 9
stamp="$here/node_modules/.supplyoracle-lock.sha256"
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x "$here/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" ]; then
  echo "installing pinned npm tools (npm ci in deploy/)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
