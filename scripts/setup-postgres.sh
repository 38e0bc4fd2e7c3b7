#!/usr/bin/env bash
# Debian's PostgreSQL for the job-store tests: install it (apt) if missing, start the cluster, and
# create a role and database for the tests. Prints one line for the caller to eval:
#   eval "$(scripts/setup-postgres.sh)"   # exports BRIEF_TEST_DATABASE_URL
# Needs root. Safe to run again (skips what is done). .ci/run calls it, so CI runs the PostgreSQL tests;
# without BRIEF_TEST_DATABASE_URL they are skipped with that reason.
set -euo pipefail
ROLE=${BRIEF_PG_ROLE:-brief_test}
DB=${BRIEF_PG_DB:-brief_test}
PASSWORD=${BRIEF_PG_PASSWORD:-brief_test}

if [ "$(id -u)" != 0 ]; then
  echo "note: not root: cannot install or start PostgreSQL; the PostgreSQL tests will be skipped" >&2
  exit 0
fi
if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  echo "==> installing Debian's postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
read -r VERSION CLUSTER PORT STATUS _ < <(pg_lsclusters -h | head -1)
if [ "$STATUS" != online ]; then
  echo "==> starting PostgreSQL $VERSION/$CLUSTER on port $PORT" >&2
  pg_ctlcluster "$VERSION" "$CLUSTER" start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done
as_postgres() { (cd / && su postgres -c "$1"); }
if [ "$(as_postgres "psql -p $PORT -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$ROLE'\"")" != 1 ]; then
  as_postgres "psql -p $PORT -qc \"CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'\"" >&2
fi
if [ "$(as_postgres "psql -p $PORT -tAc \"SELECT 1 FROM pg_database WHERE datname='$DB'\"")" != 1 ]; then
  as_postgres "createdb -p $PORT -O $ROLE $DB" >&2
fi
echo "export BRIEF_TEST_DATABASE_URL=postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
