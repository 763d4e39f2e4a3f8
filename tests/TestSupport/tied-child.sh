#!/usr/bin/env bash
# Runs a command as a child tied to an owner process: when the owner dies (a test run that was killed, even with
# SIGKILL), the child gets STOP_SIGNAL, then SIGKILL after 5 s, and CLEANUP_DIR (unless "-") is deleted: nobody is
# left to use it. SIGTERM/SIGINT to this script forward STOP_SIGNAL. Exits with the child's exit code.
#   tied-child.sh OWNER_PID STOP_SIGNAL CLEANUP_DIR|- -- command [args...]
set -u
# Job control: a background child of a non-interactive shell would otherwise start with SIGINT ignored.
set -m
owner=$1 sig=$2 cleanup=$3
shift 4
# The trap is in place before the child starts: a stop that arrives while the child is being started is kept and
# forwarded as soon as the child's pid is known, rather than killing this script and orphaning the child.
child="" stop=0
trap 'stop=1; [ -z "$child" ] || kill -s "$sig" "$child" 2>/dev/null' TERM INT
"$@" &
child=$!
[ "$stop" -eq 0 ] || kill -s "$sig" "$child" 2>/dev/null
while kill -0 "$owner" 2>/dev/null; do
  if ! kill -0 "$child" 2>/dev/null; then
    wait "$child"
    exit $?
  fi
  sleep 0.3 &
  wait $! 2>/dev/null
done
kill -s "$sig" "$child" 2>/dev/null
for _ in $(seq 1 20); do
  kill -0 "$child" 2>/dev/null || break
  sleep 0.25
done
kill -KILL "$child" 2>/dev/null
wait "$child" 2>/dev/null
[ "$cleanup" = "-" ] || rm -rf -- "$cleanup"
exit 137
