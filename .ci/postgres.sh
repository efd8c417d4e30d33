#!/usr/bin/env bash
# Install and start a real PostgreSQL server (Debian packages) for the search tests,
# and print the DSN the tests read from REFERAT_TEST_PG:
#
#   export REFERAT_TEST_PG="$(bash .ci/postgres.sh)"
#
# Idempotent: an installed package, a running cluster, an existing role or database
# are left as they are. Everything but the DSN goes to stderr.
#
# The server is a daemon: it must never inherit the caller's $(...) pipe, or the caller
# waits for that pipe to close for as long as the server runs (a stopped cluster hung CI
# this way). So the set-up runs with its stdout sent to stderr, and only the last echo
# writes to the pipe.
set -euo pipefail

ROLE=referat
PASSWORD=referat
DB=referat_test
PORT=5432

install_postgres() {
    if ! command -v pg_lsclusters >/dev/null || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    fi
}

start_cluster() {
    local version cluster status
    read -r version cluster PORT status _ < <(pg_lsclusters -h | head -n 1)
    if [ "$status" != "online" ]; then
        pg_ctlcluster "$version" "$cluster" start
    fi
    for _ in $(seq 1 30); do
        su postgres -c "pg_isready -q -p $PORT" && return
        sleep 1
    done
}

psql_admin() { su postgres -c "psql -q -v ON_ERROR_STOP=1 -p $PORT -tA -c \"$1\""; }

create_role_and_database() {
    if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
        psql_admin "CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD'"
    fi
    if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != "1" ]; then
        psql_admin "CREATE DATABASE $DB OWNER $ROLE"
    fi
}

{
    install_postgres
    start_cluster
    create_role_and_database
} 1>&2
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DB"
