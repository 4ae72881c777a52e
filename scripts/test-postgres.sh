#!/usr/bin/env bash
# A local PostgreSQL for the tests: Debian's postgresql package (installed if missing, as root),
# its first cluster started, and a role that may create databases. Prints the admin URL the
# tests create their own databases with; an already set GOFER_TEST_POSTGRES_URL is kept.
set -euo pipefail
if [ -n "${GOFER_TEST_POSTGRES_URL:-}" ]; then echo "$GOFER_TEST_POSTGRES_URL"; exit 0; fi

as_postgres() { su postgres -c "psql -p $port -qtAc \"$1\""; }

start_cluster() {
  if ! command -v pg_ctlcluster >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }
  fi
  if [ -z "$(pg_lsclusters -h)" ]; then
    pg_createcluster "$(ls /usr/lib/postgresql | sort -n | tail -1)" main >/dev/null
  fi
  read -r version cluster port status _ < <(pg_lsclusters -h | head -1)
  # pg_ctlcluster itself removes a postmaster.pid left by an unclean shutdown (and says so).
  [ "$status" = online ] || pg_ctlcluster "$version" "$cluster" start
  for _ in $(seq 1 30); do as_postgres "SELECT 1" >/dev/null 2>&1 && break; sleep 1; done
  if [ "$(as_postgres "SELECT 1 FROM pg_roles WHERE rolname = 'gofer_test'")" != 1 ]; then
    as_postgres "CREATE ROLE gofer_test LOGIN CREATEDB PASSWORD 'gofer_test'" >/dev/null
  fi
}

# Callers capture stdout with $(...), so it carries the URL alone: whatever setup prints (such as
# pg_ctlcluster's "Removed stale pid file." after an unclean shutdown) goes to stderr.
start_cluster >&2
echo "postgresql+psycopg://gofer_test:gofer_test@127.0.0.1:$port/postgres"
