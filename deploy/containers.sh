#!/usr/bin/env bash
# Prepares and releases the container engine for ./test.sh (issue 22): the container tests (tests/Containers.Tests)
# build the images of deploy/docker and run the compose topology through Testcontainers.
#   deploy/containers.sh up STATE_FILE    install docker.io when missing (as root), start dockerd when no engine answers,
#                                         build the local base images once (deploy/docker/bases.sh); records in
#                                         STATE_FILE whether it started dockerd. Fails, saying how to provide an engine,
#                                         when none can be had.
#   deploy/containers.sh down STATE_FILE  removes containers the tests left behind and stops dockerd if `up` started it.
# Testcontainers settings for Debian's dockerd 20.10 without registry access are printed by `up` as KEY=VALUE lines.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"
say() { echo "[containers] $*" >&2; }
how="provide a Docker engine (run ./test.sh as root to install Debian's docker.io and start dockerd, or start dockerd / set DOCKER_HOST yourself), or run ./test.sh --no-containers to leave the container tests out"

engine_answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

up() {
  local state="$1" start=$SECONDS
  : >"$state"
  if ! command -v dockerd >/dev/null 2>&1 && ! engine_answers; then
    [ "$(id -u)" -eq 0 ] || { say "error: no container engine and not root; $how"; exit 1; }
    say "installing Debian's docker.io (about a minute)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=900 docker.io >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=900 docker.io >/dev/null; } \
      || { say "error: apt-get install docker.io failed; $how"; exit 1; }
    say "installed docker.io in $((SECONDS - start)) s"
  fi
  if ! engine_answers; then
    [ "$(id -u)" -eq 0 ] || { say "error: no container engine answers and not root; $how"; exit 1; }
    local log="$state.dockerd.log" t=$SECONDS
    say "starting dockerd (log $log); it is stopped again when the tests end"
    dockerd >"$log" 2>&1 &
    echo "$!" >"$state"
    for _ in $(seq 60); do engine_answers && break; sleep 1; done
    engine_answers || { tail -5 "$log" >&2; say "error: dockerd did not start; $how"; down "$state"; exit 1; }
    say "dockerd ready in $((SECONDS - t)) s"
  else
    say "using the running container engine ($(docker version --format 'dockerd {{.Server.Version}}, API {{.Server.APIVersion}}'))"
  fi
  local t=$SECONDS
  "$root/deploy/docker/bases.sh" >/dev/null
  say "local base images ready in $((SECONDS - t)) s (built once per machine, reused after)"
}

down() {
  local state="$1" timings="${SUPPLYORACLE_CONTAINERS_TIMINGS:-}"
  if [ -n "$timings" ] && [ -f "$timings" ]; then
    say "container test stages:"
    sed 's/^/[containers]   /' "$timings" >&2
  fi
  if engine_answers; then
    local left
    left="$(docker ps -aq --filter label=org.testcontainers=true)"
    [ -z "$left" ] || { say "removing containers the tests left behind"; docker rm -fv $left >/dev/null; }
  fi
  local pid
  pid="$(cat "$state" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "stopping the dockerd this run started (pid $pid)"
    kill "$pid"
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  rm -f "$state" "$state.dockerd.log"
}

case "${1:-}" in
  up) up "${2:?state file}" ;;
  down) down "${2:?state file}" ;;
  *) echo "usage: deploy/containers.sh up|down STATE_FILE" >&2; exit 2 ;;
esac
