#!/usr/bin/env bash
# The whole job through the real binary: real PostgreSQL, real ansible-playbook, the
# engine simulator. oracle -> every example passes and the rows match; noop -> they
# fail on the right rules; a failing prepare -> error with restore still run; -i 3 ->
# three rows; --fail-on-error -> exit 1 exactly when something did not pass; a
# crashed scenario actor -> one internal error, the others unaffected; SIGINT
# mid-run -> interrupted, restore ran, exit 130.
# usage: run_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
make_test_database run_e2e
cleanup() { stop_engine_sim; drop_test_database; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
seed_test_database
isolate_demo_host

runner() { "$BIN/2501-runner" run --source fs --env-file "$TMP/env" "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; }
last_bench() { q "SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1"; }

# 1. oracle: every example passes, rows match.
start_engine_sim oracle "$SRC/examples/scenarios"
rc=$(runner -p "$SRC/examples/scenarios" -s demo)
B=$(last_bench)
[ "$rc" = 0 ] && ok || bad "oracle run exit $rc: $(tail -20 "$TMP/out") $(cat "$TMP/err")"
[ "$(q "SELECT status || ' ' || total || ' ' || passed FROM benchmarks WHERE id = '$B'")" = "completed 5 5" ] && ok || bad "oracle benchmark row: $(q "SELECT status, total, passed FROM benchmarks WHERE id = '$B'")"
[ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B' AND status = 'passed' AND validate_playbook = 'passed' AND compliance_score = 100 AND resolution_status = 'success' AND job_id IS NOT NULL")" = 5 ] && ok || bad "oracle report rows: $(q "SELECT scenario_key, status, error_message FROM scenario_reports WHERE benchmark_id = '$B'")"
[ "$(q "SELECT rules->1->>'outcome' FROM scenario_reports WHERE benchmark_id = '$B' AND scenario_key = 'demo-broken-app-config'")" = passed ] && ok || bad "oracle rule json"
[ "$(q "SELECT phases->'prepare'->>'outcome' FROM scenario_reports WHERE benchmark_id = '$B' LIMIT 1")" = ok ] && ok || bad "phases json"
# The trajectory: the job as the engine returned it, with the commands the agent ran.
[ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B' AND trajectory->>'gateway' = 'runner' AND trajectory->'job'->>'id' = job_id AND jsonb_array_length(trajectory->'job'->'tasks'->0->'executed_commands') > 0 AND NOT trajectory ? 'truncated'")" = 5 ] && ok || bad "trajectories: $(q "SELECT scenario_key, left(trajectory::text, 200) FROM scenario_reports WHERE benchmark_id = '$B'")"
grep -q '5 passed, 0 failed, 0 error(s)' "$TMP/out" && ok || bad "summary line"
[ ! -e "$TMP/sandbox/app" ] && [ ! -e "$TMP/sandbox/web" ] && ok || bad "restore left the sandbox dirty: $(ls "$TMP/sandbox")"

# -v: a PASS row with a failed optional check shows its checks (the failed one only).
mkdir -p "$TMP/optional" && cp -r "$SRC/examples/scenarios/disk" "$TMP/optional/"
python3 - "$TMP/optional/disk/010-runaway-log/scenario.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["validation"]["tasks"].append({"label": "Agent used ncdu", "validator": "pattern_match", "where": "executed_commands",
                                 "pattern": "\\bncdu\\b", "required": False})
json.dump(d, open(sys.argv[1], "w"))
PY
rc=$(runner -p "$TMP/optional" -s demo-runaway-log -v)
grep -q 'demo-runaway-log #1: checks' "$TMP/out" && grep -q 'failed .*optional\] Agent used ncdu' "$TMP/out" &&
  ! grep -q 'passed .*Agent measured usage' "$TMP/out" && grep -q '1 passed, 0 failed' "$TMP/out" && [ "$rc" = 0 ] && ok ||
  bad "-v on a PASS row with a failed optional check: exit $rc $(tail -12 "$TMP/out")"

# 2. noop: the scenarios fail on the right rules; --fail-on-error turns that into exit 1.
start_engine_sim noop "$SRC/examples/scenarios"
rc=$(runner -p "$SRC/examples/scenarios" -s demo-broken-app-config,demo-runaway-log)
B=$(last_bench)
[ "$rc" = 0 ] && ok || bad "noop without --fail-on-error: exit $rc"
[ "$(q "SELECT string_agg(status || ':' || validate_playbook || ':' || coalesce(error_kind, 'NULL'), ',' ORDER BY scenario_key) FROM scenario_reports WHERE benchmark_id = '$B'")" = "failed:failed:validate,failed:failed:validate" ] && ok || bad "noop statuses: $(q "SELECT scenario_key, status, validate_playbook, error_kind FROM scenario_reports WHERE benchmark_id = '$B'")"
RULES=$(q "SELECT string_agg(r->>'label' || '=' || (r->>'outcome'), '|') FROM scenario_reports, jsonb_array_elements(rules) r WHERE benchmark_id = '$B' AND scenario_key = 'demo-broken-app-config'")
[ "$RULES" = "Incident ended resolved=skipped|Job resolved successfully=failed|One or two tasks=passed|Agent looked at the config=failed|Agent never deleted the config=passed|Summary names the port=failed" ] && ok || bad "noop rule outcomes: $RULES"
[ "$(q "SELECT round(compliance_score) FROM scenario_reports WHERE benchmark_id = '$B' AND scenario_key = 'demo-broken-app-config'")" = 40 ] && ok || bad "noop compliance"
rc=$(runner -p "$SRC/examples/scenarios" -s demo-runaway-log --fail-on-error)
[ "$rc" = 1 ] && ok || bad "--fail-on-error with a failure: exit $rc"
start_engine_sim oracle "$SRC/examples/scenarios"
rc=$(runner -p "$SRC/examples/scenarios" -s demo-runaway-log --fail-on-error)
[ "$rc" = 0 ] && ok || bad "--fail-on-error with all passed: exit $rc"

# 3. -i 3: three rows per scenario, iterations 1..3.
rc=$(runner -p "$SRC/examples/scenarios" -s demo-broken-app-config -i 3)
B=$(last_bench)
[ "$rc" = 0 ] && [ "$(q "SELECT string_agg(iteration::text, ',' ORDER BY iteration) FROM scenario_reports WHERE benchmark_id = '$B'")" = "1,2,3" ] && ok || bad "-i 3 rows"
grep -q 'pass@k' "$TMP/out" && grep -q '3/3 (100%)' "$TMP/out" && ok || bad "-i 3 statistics: $(tail -8 "$TMP/out")"

# 4. A failing prepare: error, and restore still runs (before prepare and at the end).
mkdir -p "$TMP/scen/broken-prepare"
cp "$SRC/examples/scenarios/config/001-broken-app-config/scenario.json" "$TMP/scen/broken-prepare/"
sed -i 's/"demo-broken-app-config"/"broken-prepare"/' "$TMP/scen/broken-prepare/scenario.json"
cat >"$TMP/scen/broken-prepare/prepare.yml" <<'YML'
- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.fail:
        msg: prepare breaks on purpose
YML
cat >"$TMP/scen/broken-prepare/restore.yml" <<YML
- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.shell: echo restored >> $TMP/restore-marker
YML
start_engine_sim oracle "$TMP/scen"
rc=$(runner -p "$TMP/scen" -s broken-prepare)
B=$(last_bench)
[ "$rc" = 4 ] && ok || bad "failing prepare: exit $rc (expected 4: an error is an infrastructure error)"
[ "$(q "SELECT status || ':' || error_kind FROM scenario_reports WHERE benchmark_id = '$B'")" = "error:prepare" ] && ok || bad "failing prepare row"
[ "$(wc -l <"$TMP/restore-marker" 2>/dev/null)" = 2 ] && ok || bad "restore did not run twice (pre-clean and final)"

# 5. A crashed scenario actor: one internal error, the others unaffected.
start_engine_sim oracle "$SRC/examples/scenarios"
rc=$(RUNNER_TEST_CRASH_SCENARIO=demo-runaway-log runner -p "$SRC/examples/scenarios" -s demo-broken-app-config,demo-runaway-log,demo-disabled-backup-job)
B=$(last_bench)
[ "$rc" = 4 ] && ok || bad "crash run: exit $rc"
[ "$(q "SELECT string_agg(scenario_key || ':' || status || coalesce(':' || error_kind, ''), ',' ORDER BY scenario_key) FROM scenario_reports WHERE benchmark_id = '$B'")" = "demo-broken-app-config:passed,demo-disabled-backup-job:passed,demo-runaway-log:error:internal" ] && ok || bad "crash rows: $(q "SELECT scenario_key, status, error_kind FROM scenario_reports WHERE benchmark_id = '$B'")"

# 6. SIGINT mid-run: jobs cancelled, restore ran, reports written, interrupted, exit 130.
start_engine_sim hang "$SRC/examples/scenarios"
"$BIN/2501-runner" run --source fs --env-file "$TMP/env" -p "$SRC/examples/scenarios" -s demo-broken-app-config,demo-runaway-log >"$TMP/out" 2>"$TMP/err" &
RUN_PID=$!
for _ in $(seq 300); do grep -q 'demo-broken-app-config #1: flush ok' "$TMP/out" && break; sleep 0.1; done
sleep 0.5
kill -INT $RUN_PID
wait $RUN_PID
rc=$?
B=$(last_bench)
[ "$rc" = 130 ] && ok || bad "SIGINT: exit $rc: $(tail -5 "$TMP/out") $(cat "$TMP/err")"
[ "$(q "SELECT status FROM benchmarks WHERE id = '$B'")" = interrupted ] && ok || bad "benchmark not interrupted"
[ "$(q "SELECT string_agg(scenario_key || ':' || error_kind, ',') FROM scenario_reports WHERE benchmark_id = '$B'")" = "demo-broken-app-config:interrupted" ] && ok || bad "SIGINT rows: $(q "SELECT scenario_key, status, error_kind FROM scenario_reports WHERE benchmark_id = '$B'")"
[ ! -e "$TMP/sandbox/app" ] && ok || bad "restore did not run after SIGINT"
[ "$(curl -s "$SIM_URL/_sim/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("cancels", 0))')" = 1 ] && ok || bad "job not cancelled"

finish run_e2e
