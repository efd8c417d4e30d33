#!/usr/bin/env bash
# Install and start a real PostgreSQL server (Debian packages) for the search tests,
# and print the DSN the tests read from REFERAT_TEST_PG:
#
#   export REFERAT_TEST_PG="$(bash .ci/postgres.sh)"
#
# Idempotent: an installed package, a running cluster, an existing role or database
# are left as they are. Everything but the DSN goes to stderr.
set -euo pipefail
exec 3>&1 1>&2

ROLE=referat
PASSWORD=referat
DB=referat_test
PORT=5432

if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
fi

read -r VERSION CLUSTER CLUSTER_PORT STATUS _ < <(pg_lsclusters -h | head -n 1)
PORT=$CLUSTER_PORT
if [ "$STATUS" != "online" ]; then
    pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

for _ in $(seq 1 30); do
    su postgres -c "pg_isready -q -p $PORT" && break
    sleep 1
done

psql_admin() { su postgres -c "psql -q -v ON_ERROR_STOP=1 -p $PORT -tA -c \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
    psql_admin "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'"
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
    psql_admin "CREATE DATABASE $DB OWNER $ROLE"
fi

echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB" >&3
