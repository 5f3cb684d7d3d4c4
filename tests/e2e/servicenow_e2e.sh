#!/usr/bin/env bash
# -g servicenow end to end: the runner creates incidents in the ServiceNow simulator,
# the engine simulator (ServiceNow mode) picks them up, runs the jobs and resolves the
# incidents; ticket_status and gateway rules are evaluated; faults at high rates leave
# exactly one incident per scenario-iteration; wrong credentials fail pre-flight
# (exit 3); an incident left open when the scenario ends is cancelled with a note.
# usage: servicenow_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
make_test_database snow_e2e
cleanup() { stop_sims; drop_test_database; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
seed_test_database
isolate_demo_host

start_sims() {  # start_sims BEHAVIOR SCENARIOS_PATH [servicenow-sim flags...]
  stop_sims
  local behavior=$1 scenarios=$2
  shift 2
  SERVICENOW_SIM_PASSWORD=snow-pw-XYZ "$BIN/2501-servicenow-sim" --listen 127.0.0.1:0 --username runner "$@" >"$TMP/snow.out" 2>&1 &
  PIDS+=($!)
  SNOW_URL=$(wait_listen "$TMP/snow.out")
  start_servicenow_engine_sim "$behavior" "$scenarios"
}
runner() { "$BIN/2501-runner" run -g servicenow --source fs --env-file "$TMP/env" "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; }
last_bench() { q "SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1"; }
snow_counter() { curl -s "$SNOW_URL/_sim/counters" | python3 -c "import json,sys; print(json.load(sys.stdin).get('$1', 0))"; }
snow_get() { curl -s -u runner:snow-pw-XYZ "$SNOW_URL$1"; }

# 1. The examples pass through ServiceNow; gateway rules are evaluated, not skipped.
start_sims oracle "$SRC/examples/scenarios"
rc=$(runner -p "$SRC/examples/scenarios" -s demo)
B=$(last_bench)
[ "$rc" = 0 ] && ok || bad "servicenow run: exit $rc: $(tail -15 "$TMP/out") $(cat "$TMP/err")"
[ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B' AND status = 'passed' AND gateway = 'servicenow' AND ticket_id LIKE 'INC%'")" = 5 ] && ok || bad "rows: $(q "SELECT scenario_key, status, error_message, ticket_id FROM scenario_reports WHERE benchmark_id = '$B'")"
GW=$(q "SELECT string_agg(r->>'label' || '=' || (r->>'outcome'), '|') FROM scenario_reports, jsonb_array_elements(rules) r WHERE benchmark_id = '$B' AND scenario_key = 'demo-runaway-log' AND r->>'scope' = 'gateway'")
[ "$GW" = "Incident ended resolved=passed|Close notes explain the fix=passed|The platform posted progress notes=passed" ] && ok || bad "gateway rules: $GW"
[ "$(snow_counter incidents)" = 5 ] && ok || bad "incidents: $(snow_counter incidents)"
INC=$(q "SELECT ticket_id FROM scenario_reports WHERE benchmark_id = '$B' AND scenario_key = 'demo-runaway-log'")
# The trajectory keeps the incident as the instance returned it, its state and journal.
[ "$(q "SELECT trajectory->'ticket'->'record'->'incident'->>'number' || ' ' || (trajectory->'ticket'->>'state') || ' ' || (jsonb_array_length(trajectory->'ticket'->'messages') > 0)::text FROM scenario_reports WHERE benchmark_id = '$B' AND scenario_key = 'demo-runaway-log'")" = "$INC Resolved true" ] && ok || bad "servicenow trajectory: $(q "SELECT left(trajectory->'ticket'::text, 400) FROM scenario_reports WHERE benchmark_id = '$B' AND scenario_key = 'demo-runaway-log'")"
snow_get "/api/now/table/incident?sysparm_query=number=$INC&sysparm_fields=state,close_code,assignment_group,caller_id,correlation_id&sysparm_exclude_reference_link=true" >"$TMP/inc.json"
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['result'][0]; assert r['state']=='6' and r['assignment_group']=='grp-2501' and r['caller_id']=='caller-2501' and r['correlation_id'].endswith(':demo-runaway-log:1'), r" "$TMP/inc.json" && ok || bad "incident fields: $(cat "$TMP/inc.json")"
if grep -rq 'snow-pw-XYZ' "$TMP/out" "$TMP/err" "$TMP/state"; then bad "ServiceNow password printed or logged"; else ok; fi

# 2. High fault rates: still exactly one incident per scenario-iteration.
start_sims oracle "$SRC/examples/scenarios" --fault-429 0.25 --fault-5xx 0.25 --seed 11
rc=$(runner -p "$SRC/examples/scenarios" -s demo-runaway-log -i 3)
B=$(last_bench)
[ "$rc" = 0 ] && ok || bad "faulty run: exit $rc: $(tail -8 "$TMP/out") $(cat "$TMP/err")"
[ "$(snow_counter incidents)" = 3 ] && ok || bad "faulty incidents: $(snow_counter incidents) (expected 3)"
[ "$(snow_counter faults.429)" -gt 0 ] && [ "$(snow_counter faults.5xx)" -gt 0 ] && ok || bad "no faults injected"
[ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B' AND status = 'passed'")" = 3 ] && ok || bad "faulty rows"

# 3. Wrong credentials: pre-flight fails with a credentials error, exit 3.
sed -i 's/^SERVICENOW_PASSWORD=.*/SERVICENOW_PASSWORD=wrong-pw-XYZ/' "$TMP/env"
rc=$(runner -p "$SRC/examples/scenarios" -s demo-runaway-log)
[ "$rc" = 3 ] && grep -q 'credentials error' "$TMP/out" && ok || bad "wrong credentials: exit $rc $(cat "$TMP/out")"
if grep -q 'wrong-pw-XYZ' "$TMP/out" "$TMP/err"; then bad "password printed"; else ok; fi

# 4. A job that never ends: timeout, job cancelled, the open incident cancelled with a note.
mkdir -p "$TMP/scen"
cp -r "$SRC/examples/scenarios/disk/010-runaway-log" "$TMP/scen/"
sed -i 's/"timeout_seconds": 120/"timeout_seconds": 3/' "$TMP/scen/010-runaway-log/scenario.json"
start_sims hang "$TMP/scen"
rc=$(runner -p "$TMP/scen" -s demo-runaway-log)
B=$(last_bench)
[ "$rc" = 4 ] && [ "$(q "SELECT error_kind FROM scenario_reports WHERE benchmark_id = '$B'")" = timeout ] && ok || bad "hang: exit $rc $(tail -12 "$TMP/out")  $(q "SELECT status, error_kind, error_message FROM scenario_reports WHERE benchmark_id = '$B'")"
# A timed-out job's trajectory is kept too: what the agent did before the deadline.
[ "$(q "SELECT trajectory->'job'->>'id' = job_id FROM scenario_reports WHERE benchmark_id = '$B'")" = t ] && ok || bad "timeout trajectory: $(q "SELECT job_id, left(trajectory::text, 300) FROM scenario_reports WHERE benchmark_id = '$B'")"
snow_get "/api/now/table/incident?sysparm_fields=state,close_notes" >"$TMP/inc.json"
python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['result'][0]; assert r['state']=='8' and '2501-runner' in r['close_notes'], r" "$TMP/inc.json" && ok || bad "open incident not cancelled: $(cat "$TMP/inc.json")"

finish servicenow_e2e
