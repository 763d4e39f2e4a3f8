#!/bin/sh
# The PostgreSQL image's entrypoint (deploy/docker/postgres.Dockerfile): Debian's server package has none that
# honours the official image's variables, so this one does, for the subset the project uses:
#   POSTGRES_USER (default postgres)  the superuser initdb creates
#   POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE  its password (required on first start; scram-sha-256 over TCP)
#   POSTGRES_DB (default: the user's name)  a database created on first start
#   PGDATA (default /var/lib/postgresql/data)  the cluster, initialised when empty
# Then it runs the server in the foreground, listening on every address; extra arguments go to postgres.
set -eu
: "${PGDATA:=/var/lib/postgresql/data}"
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
  [ -r "$POSTGRES_PASSWORD_FILE" ] || { echo "error: POSTGRES_PASSWORD_FILE $POSTGRES_PASSWORD_FILE is not readable" >&2; exit 2; }
  password="$(cat "$POSTGRES_PASSWORD_FILE")"
else
  password="${POSTGRES_PASSWORD:-}"
fi
[ "${1:-postgres}" = postgres ] && [ "$#" -gt 0 ] && shift

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "$password" ] || { echo "error: set POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE for the first start" >&2; exit 2; }
  echo "initialising the cluster in $PGDATA (superuser $user, database $db)"
  pwfile="$(mktemp)"
  printf '%s\n' "$password" > "$pwfile"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w -s start
    psql -v ON_ERROR_STOP=1 -q -U "$user" -d postgres -c "CREATE DATABASE \"$db\""
    pg_ctl -D "$PGDATA" -m fast -w -s stop
  fi
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
