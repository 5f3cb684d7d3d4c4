# Shared by the end-to-end scripts: pass/fail counting, a database of the test's own
# on the shared test cluster, waiting for a simulator's "listening on" line.
# Source it after setting BIN, SRC and TMP.

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# Prints the closing line and exits non-zero when anything failed.
finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

# A private PostgreSQL cluster in $TMP/pg on a free port (PGPORT), for the tests that
# stop or freeze the database: start_private_cluster PASSWORD sets
# RUNNER_TEST_DATABASE_URL; freeze/thaw SIGSTOP/SIGCONT the server and its backends;
# stop_private_cluster thaws and stops it.
start_private_cluster() {
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$SRC/scripts/pg-cluster" start "$TMP/pg" "$PGPORT" "$1" >/dev/null
  export RUNNER_TEST_DATABASE_URL="postgresql://postgres:$1@127.0.0.1:$PGPORT/postgres"
}
freeze() { local p; p=$(head -1 "$TMP/pg/postmaster.pid"); kill -STOP "$p"; pkill -STOP -P "$p"; }
thaw() { local p; p=$(head -1 "$TMP/pg/postmaster.pid"); pkill -CONT -P "$p"; kill -CONT "$p"; }
stop_private_cluster() {
  thaw 2>/dev/null
  "$SRC/scripts/pg-cluster" stop "$TMP/pg" >/dev/null 2>&1
}

# Creates database $DB on the cluster of RUNNER_TEST_DATABASE_URL; sets ADMIN and URL.
make_test_database() {
  : "${RUNNER_TEST_DATABASE_URL:?run through scripts/test, which starts PostgreSQL}"
  ADMIN=$RUNNER_TEST_DATABASE_URL
  DB="${1}_$$_$RANDOM"
  URL=${ADMIN%/*}/$DB
  psql -q "$ADMIN" -c "CREATE DATABASE $DB" >/dev/null || { echo "cannot create $DB"; exit 1; }
}

drop_test_database() { psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1; }

# Migrated and seeded with the demo's organization, tenant, user, host and agent.
seed_test_database() {
  DATABASE_URL=$URL "$BIN/2501-runner" db migrate >/dev/null
  psql -q "$URL" -f "$SRC/scripts/demo-seed.sql"
}

q() { psql -tA "$URL" -c "$1"; }

# Points the seeded demo host at this test's own sandbox folder ($TMP/sandbox) and a
# free web port, so the examples never touch the demo's /tmp/2501-demo or port 18081.
isolate_demo_host() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  q "UPDATE hosts SET ansible_vars = '{\"demo_root_override\": \"$TMP/sandbox\", \"demo_web_port\": $port}'" >/dev/null
}

# Waits for "listening on HOST:PORT" in a simulator's output file; prints its URL.
# A simulator that does not come up within 30 s is named on stderr with its output.
wait_listen() {
  for _ in $(seq 300); do grep -q '^listening on' "$1" && break; sleep 0.1; done
  grep -q '^listening on' "$1" || echo "wait_listen: no 'listening on' in $1 after 30 s: $(head -c 2000 "$1")" >&2
  echo "http://$(sed -n 's/^listening on //p' "$1")"
}

# $TMP/env for the runner against the seeded demo organization and the engine at
# ENGINE_URL: write_runner_env ENGINE_URL [NAME=VALUE ...] (extra lines appended).
write_runner_env() {
  local engine=$1; shift
  printf '%s\n' "DATABASE_URL=$URL" ORG_ID=org_demo TENANT_ID=tnt_demo USER_ID=usr_demo \
    "ENGINE_API_URL=$engine" ENGINE_API_KEY=e2e-engine-key "$@" >"$TMP/env"
}

# Background simulators a script started itself; stop_sims stops every one of them.
PIDS=()
stop_sims() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; PIDS=(); }

# The engine simulator on a free port against the test database, and $TMP/env for
# the runner pointing at it: start_engine_sim BEHAVIOR SCENARIOS_PATH [JOB_MS [PICKUP_MS]].
# Sets SIM_PID and SIM_URL; a running one is stopped first. Extra simulator flags
# (a misbehaviour, faults) come from $ENGINE_SIM_FLAGS.
SIM_PID=
stop_engine_sim() { [ -n "$SIM_PID" ] && kill "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null; SIM_PID=; }
start_engine_sim() {
  stop_engine_sim
  ENGINE_SIM_API_KEY=e2e-engine-key ENGINE_SIM_DATABASE_URL=$URL "$BIN/2501-engine-sim" --listen 127.0.0.1:0 --behavior "$1" \
    --scenarios-path "$2" --pickup-delay-ms "${4:-100}" --job-duration-ms "${3:-200}" --work-dir "$TMP/engine" \
    ${ENGINE_SIM_FLAGS:-} >"$TMP/sim.out" 2>&1 &
  SIM_PID=$!
  SIM_URL=$(wait_listen "$TMP/sim.out")
  write_runner_env "$SIM_URL"
}

# The engine simulator in ServiceNow mode against the ServiceNow simulator at
# $SNOW_URL (user runner, password snow-pw-XYZ, group grp-2501), and $TMP/env for a
# -g servicenow run: start_servicenow_engine_sim BEHAVIOR SCENARIOS_PATH. Its PID joins PIDS.
start_servicenow_engine_sim() {
  ENGINE_SIM_API_KEY=e2e-engine-key ENGINE_SIM_SERVICENOW_PASSWORD=snow-pw-XYZ ENGINE_SIM_DATABASE_URL=$URL \
    "$BIN/2501-engine-sim" --listen 127.0.0.1:0 --behavior "$1" \
    --scenarios-path "$2" --pickup-delay-ms 100 --job-duration-ms 200 --work-dir "$TMP/engine" \
    --servicenow-url "$SNOW_URL" --servicenow-username runner \
    --servicenow-assignment-group grp-2501 >"$TMP/engine.out" 2>&1 &
  PIDS+=($!)
  ENGINE_URL=$(wait_listen "$TMP/engine.out")
  write_runner_env "$ENGINE_URL" SERVICENOW_API_URL="$SNOW_URL" SERVICENOW_USERNAME=runner \
    SERVICENOW_PASSWORD=snow-pw-XYZ SERVICENOW_ASSIGNMENT_GROUP_ID=grp-2501 SERVICENOW_CALLER_ID=caller-2501
}

# The start most host-mode tests share: database NAME of their own, seeded with the
# demo organization and host (its sandbox in $TMP), the runner's state and fast
# polling in $TMP, and on exit the simulators stopped, the database dropped, $TMP gone.
begin_host_mode_test() {
  make_test_database "$1"
  trap 'stop_engine_sim; stop_sims; drop_test_database; rm -rf "$TMP"' EXIT
  cd "$TMP" || exit 1
  export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
  seed_test_database
  isolate_demo_host
}

# Keeps the host's runner variables out of the tests.
unset DATABASE_URL ORG_ID TENANT_ID USER_ID ENGINE_API_URL ENGINE_API_KEY GIT_RUNNER_REPOSITORY GIT_RUNNER_PAT GIT_REF
