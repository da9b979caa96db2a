#!/usr/bin/env bash
# The scaled profile's PostgreSQL (Debian's postgresql package, version 15): creates the cluster in the folder given as
# the first argument on the first start (superuser postgres, password from PIPELINE_DB_PASSWORD, scram-sha-256 on
# loopback), then runs the server in the foreground on 127.0.0.1:$PGPORT. PostgreSQL refuses to run as root: as root
# the folder is handed to the postgres user and the server runs as that user.
set -euo pipefail

data=${1:?usage: postgres.sh <data folder>}
: "${PGPORT:?PGPORT is not set}" "${PIPELINE_DB_PASSWORD:?PIPELINE_DB_PASSWORD is not set}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/postgres" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

as_owner=()
mkdir -p "$data"
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
  chown postgres:postgres "$data"
  # The server must reach its folder: let others through (not list) the data folder above it.
  chmod o+x "$(dirname "$data")"
fi
chmod 700 "$data"

if [ ! -s "$data/PG_VERSION" ]; then
  password_file=$(mktemp)
  trap 'rm -f "$password_file"' EXIT
  printf '%s\n' "$PIPELINE_DB_PASSWORD" >"$password_file"
  [ "$(id -u)" -eq 0 ] && chown postgres "$password_file"
  "${as_owner[@]}" "$bin/initdb" -D "$data" -U postgres --pwfile="$password_file" --auth=scram-sha-256 -E UTF8 --no-instructions >/dev/null
  rm -f "$password_file"
  trap - EXIT
fi

exec "${as_owner[@]}" "$bin/postgres" -D "$data" -h 127.0.0.1 -p "$PGPORT" -k "$data" -c max_connections=200
