#!/usr/bin/env bash
# End-to-end database checks through the real binary: `db migrate` (idempotent),
# run --check pre-flight (each ID wrong, bad URL, wrong password; exit 3, password
# never printed), and spooled reports replayed at the start of the next command.
# usage: db_e2e.sh path/to/2501-runner source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
make_test_database db_e2e
SIM_PID=
cleanup() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null; drop_test_database; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state"
run() { "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; }
has() { grep -qE -- "$1" "$TMP/out" "$TMP/err"; }

# db migrate: applies, then says there is nothing to do.
[ "$(DATABASE_URL=$URL run db migrate)" = 0 ] && has 'applied migration 0001_platform' && ok || bad "first migrate: $(cat "$TMP/out" "$TMP/err")"
[ "$(DATABASE_URL=$URL run db migrate)" = 0 ] && has 'up to date .*nothing to do' && ok || bad "second migrate: $(cat "$TMP/out")"

ORG=org_demo
TEN=tnt_demo
USR=usr_demo
psql -q "$URL" >/dev/null <<SQL
INSERT INTO tenants (id, name) VALUES ('$TEN', 'e2e');
INSERT INTO organizations (id, tenant_id, name) VALUES ('$ORG', '$TEN', 'e2e');
INSERT INTO users (id, organization_id, email) VALUES ('$USR', '$ORG', 'e2e@example.invalid');
SQL
# The gateway probe needs an engine: the simulator.
ENGINE_SIM_API_KEY=e2e-engine-key "$(dirname "$BIN")/2501-engine-sim" --listen 127.0.0.1:0 --behavior noop >"$TMP/sim.out" 2>&1 &
SIM_PID=$!
SIM_URL=$(wait_listen "$TMP/sim.out")
check() {  # check ORG TENANT USER URL -> exit code of run --check
  DATABASE_URL=$4 ORG_ID=$1 TENANT_ID=$2 USER_ID=$3 ENGINE_API_URL=$SIM_URL ENGINE_API_KEY=e2e-engine-key \
    run run --check --source fs -p "$SRC/examples/scenarios"
}
MISSING=org_missing
[ "$(check $ORG $TEN $USR "$URL")" = 0 ] && has '\[ ok \] organization, tenant, user' && has '\[ ok \] gateway runner' && ok || bad "good ids: $(cat "$TMP/out" "$TMP/err")"
# A wrong engine key fails the gateway probe, named as a credentials problem.
[ "$(DATABASE_URL=$URL ORG_ID=$ORG TENANT_ID=$TEN USER_ID=$USR ENGINE_API_URL=$SIM_URL ENGINE_API_KEY=wrong-key-XYZ run run --check --source fs -p "$SRC/examples/scenarios")" = 3 ] && has 'rejected ENGINE_API_KEY \(HTTP 401\)' && ok || bad "wrong engine key: $(cat "$TMP/out")"
if grep -q 'wrong-key-XYZ' "$TMP/out" "$TMP/err"; then bad "engine key printed"; else ok; fi
# ENGINE_API_URL with /api/v1 and a trailing slash is the same engine; a URL that answers
# 404 is named as not the engine's API, with the URL tried.
[ "$(DATABASE_URL=$URL ORG_ID=$ORG TENANT_ID=$TEN USER_ID=$USR ENGINE_API_URL=$SIM_URL/api/v1/ ENGINE_API_KEY=e2e-engine-key run run --check --source fs -p "$SRC/examples/scenarios")" = 0 ] && has "\[ ok \] gateway runner: $SIM_URL answers" && ok || bad "ENGINE_API_URL with /api/v1/: $(cat "$TMP/out")"
[ "$(DATABASE_URL=$URL ORG_ID=$ORG TENANT_ID=$TEN USER_ID=$USR ENGINE_API_URL=$SIM_URL/command-center ENGINE_API_KEY=e2e-engine-key run run --check --source fs -p "$SRC/examples/scenarios")" = 3 ] && has "$SIM_URL/command-center/api/v1/whoami answered HTTP 404: not the 2501 engine API" && ok || bad "404 hint: $(cat "$TMP/out")"
# The organization must belong to the tenant, the user to the organization.
psql -q "$URL" -c "INSERT INTO tenants (id, name) VALUES ('tnt_other', 'o'); INSERT INTO organizations (id, tenant_id, name) VALUES ('org_other', 'tnt_other', 'o')" >/dev/null
[ "$(check org_other $TEN $USR "$URL")" = 3 ] && has "ORG_ID org_other belongs to tenant tnt_other, not TENANT_ID $TEN" && has "USER_ID $USR belongs to organization $ORG, not ORG_ID org_other" && ok || bad "tenancy mismatch: $(cat "$TMP/out")"
[ "$(check $MISSING $TEN $USR "$URL")" = 3 ] && has "ORG_ID $MISSING not found" && ok || bad "wrong ORG_ID: $(cat "$TMP/out")"
[ "$(check $ORG $MISSING $USR "$URL")" = 3 ] && has "TENANT_ID $MISSING not found" && ok || bad "wrong TENANT_ID"
[ "$(check $ORG $TEN $MISSING "$URL")" = 3 ] && has "USER_ID $MISSING not found" && ok || bad "wrong USER_ID"
[ "$(check $ORG $TEN $USR "postgresql://x:pw-XYZ@127.0.0.1/db?nope=1")" = 3 ] && has 'DATABASE_URL does not parse' && ok || bad "bad url: $(cat "$TMP/out")"
WRONG=$(echo "$URL" | sed -E 's#(://[^:]+:)[^@]+@#\1wrong-pw-XYZ@#')
[ "$(check $ORG $TEN $USR "$WRONG")" = 3 ] && has 'authentication failed' && ok || bad "wrong password: $(cat "$TMP/out")"
if grep -q 'wrong-pw-XYZ' "$TMP/out" "$TMP/err"; then bad "password printed"; else ok; fi
[ "$(check $ORG $TEN $USR "${ADMIN%/*}/no_such_db")" = 3 ] && has 'database missing' && ok || bad "missing db: $(cat "$TMP/out")"
[ "$(check $ORG $TEN $USR "postgresql://u:p@127.0.0.1:9/db")" = 3 ] && has 'refused' && ok || bad "refused: $(cat "$TMP/out")"

# A report spooled by an earlier run is replayed by the next command that connects.
BENCH=44444444-4444-4444-8444-444444444444
mkdir -p "$TMP/spool"
cat >"$TMP/spool/$BENCH.jsonl" <<JSON
{"op":"start","id":"$BENCH","organization_id":"$ORG","tenant_id":"$TEN","user_id":"$USR","status":"running","started_at":"2026-11-26T10:00:00Z","finished_at":"","options":{},"runner_version":"e2e","scenarios_commit":""}
{"op":"report","benchmark_id":"$BENCH","scenario_key":"k","scenario_title":"t","tags":[],"iteration":1,"mode":"host","gateway":"runner","status":"passed","error_kind":"","error_message":"","compliance_score":100,"rules":[],"validate_playbook":"absent","ticket_id":"","job_id":"","resolution_status":"success","host_ids":[],"agent_ids":[],"tokens":{},"phases":{},"log_path":"","started_at":"2026-11-26T10:00:00Z","finished_at":"2026-11-26T10:00:01Z","duration_ms":1000}
{"op":"finish","benchmark_id":"$BENCH","status":"interrupted","finished_at":"2026-11-26T10:00:02Z"}
JSON
[ "$(DATABASE_URL=$URL run db migrate --spool-dir "$TMP/spool")" = 0 ] && has 'replayed 3 write' && ok || bad "replay: $(cat "$TMP/out" "$TMP/err")"
[ "$(psql -tA "$URL" -c "SELECT status || ' ' || total FROM benchmarks WHERE id = '$BENCH'")" = "interrupted 1" ] && ok || bad "replayed rows missing"
[ -z "$(ls "$TMP/spool"/*.jsonl 2>/dev/null)" ] && ok || bad "spool not emptied"

finish db_e2e
