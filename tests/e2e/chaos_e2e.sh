#!/usr/bin/env bash
# `chaos` through the real binary against the engine simulator's restart: the engine is
# killed in the middle of each job's first task, and the report's chaos section says
# what the platform did next:
#  - requeue (the lost task is redone): the job still completes; the next progress
#    comes after the downtime; one task lost, one done twice; the summary says so;
#  - none (the lost work is never picked up): the job never ends; the iteration times
#    out, and the chaos section says it did not recover;
#  - a kill URL that is not a kill: the section says the kill failed;
#  - the kill as a command run on the agent's host through Ansible (SIGHUP to the
#    simulator), one that fails, and the options' usage errors.
# usage: chaos_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
make_test_database chaos_e2e
cleanup() { stop_engine_sim; drop_test_database; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
seed_test_database
isolate_demo_host
# A copy of one example with a short timeout, so a job that never ends is quick to see.
mkdir -p "$TMP/scen" && cp -r "$SRC/examples/scenarios/disk" "$TMP/scen/"
python3 - "$TMP/scen/disk/010-runaway-log/scenario.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["timeout_seconds"] = 12; json.dump(d, open(sys.argv[1], "w"))
PY
R() { "$BIN/2501-runner" chaos --source fs --env-file "$TMP/env" -p "$TMP/scen" -s demo-runaway-log "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; }
chaos() { q "SELECT chaos->>'$1' FROM scenario_reports ORDER BY started_at DESC LIMIT 1"; }

# 1. requeue: the engine comes back after 1.5 s and redoes the lost task.
ENGINE_SIM_FLAGS="--restart-downtime-ms 1500" start_engine_sim oracle "$SRC/examples/scenarios" 3000
rc=$(R)
[ "$rc" = 0 ] && ok || bad "chaos run: exit $rc $(tail -15 "$TMP/out") $(cat "$TMP/err")"
[ "$(chaos killed) $(chaos kill) $(chaos recovered) $(chaos final_status)" = "true ok true completed" ] && ok ||
  bad "requeue chaos: $(q "SELECT chaos FROM scenario_reports ORDER BY started_at DESC LIMIT 1")"
[ "$(q "SELECT jsonb_array_length(chaos->'lost_tasks') || ' ' || jsonb_array_length(chaos->'duplicate_tasks') || ' ' || (chaos->>'tasks_at_end') FROM scenario_reports ORDER BY started_at DESC LIMIT 1")" = "1 1 2" ] && ok ||
  bad "lost and duplicate tasks: $(q "SELECT chaos FROM scenario_reports ORDER BY started_at DESC LIMIT 1")"
# The next progress comes once the engine answers again (after its downtime).
[ "$(chaos time_to_progress_ms)" -ge 1400 ] 2>/dev/null && ok || bad "time to progress: $(chaos time_to_progress_ms)"
[ "$(curl -s "$SIM_URL/_sim/counters" | python3 -c 'import json,sys; c=json.load(sys.stdin); print(c.get("restarts", 0), c.get("restarting_503", 0) > 0)')" = "1 True" ] && ok ||
  bad "engine counters: $(curl -s "$SIM_URL/_sim/counters")"
grep -q 'chaos: the engine was killed in 1 job(s); 1 recovered' "$TMP/out" && grep -qE 'demo-runaway-log +1 +ok +yes +[0-9.]+s +1 +1 +completed' "$TMP/out" && ok ||
  bad "chaos summary: $(tail -12 "$TMP/out")"
[ "$(q "SELECT options->>'chaos' FROM benchmarks ORDER BY started_at DESC LIMIT 1")" = true ] && ok || bad "benchmark options lack chaos"

# 2. none: the lost work is never picked up again: no recovery, a timeout.
ENGINE_SIM_FLAGS="--restart-downtime-ms 500 --restart-recovery none" start_engine_sim oracle "$SRC/examples/scenarios" 3000
rc=$(R)
[ "$rc" = 4 ] && [ "$(q "SELECT error_kind FROM scenario_reports ORDER BY started_at DESC LIMIT 1")" = timeout ] && ok ||
  bad "lost job: exit $rc $(tail -8 "$TMP/out")"
[ "$(chaos killed) $(chaos recovered) $(chaos final_status) $(chaos time_to_progress_ms)" = "true false in_progress " ] && ok ||
  bad "none chaos: $(q "SELECT chaos FROM scenario_reports ORDER BY started_at DESC LIMIT 1")"
grep -q 'chaos: the engine was killed in 1 job(s); 0 recovered' "$TMP/out" && ok || bad "no-recovery summary: $(tail -8 "$TMP/out")"

# 3. A kill URL that kills nothing: the section says so.
start_engine_sim oracle "$SRC/examples/scenarios" 1000
rc=$(R --kill-url "$SIM_URL/api/v1/no-such-admin")
[ "$rc" = 0 ] && [ "$(chaos killed) $(chaos kill)" = "false HTTP 404" ] && ok || bad "failed kill: exit $rc $(q "SELECT chaos FROM scenario_reports ORDER BY started_at DESC LIMIT 1")"
# 4. The kill as a command on the agent's host through Ansible (here: the simulator's
#    SIGHUP, a service manager's restart): timed when the command returns, the same
#    recovery measured; the playbook's output is in the iteration's log.
ENGINE_SIM_FLAGS="--restart-downtime-ms 1500" start_engine_sim oracle "$SRC/examples/scenarios" 3000
# (`{#`/`{{` in the command: a shell comment here, and never read as Jinja.)
rc=$(R --kill-command "kill -HUP $SIM_PID # {# not Jinja #} {{ nor this }}")
[ "$rc" = 0 ] && [ "$(chaos killed) $(chaos kill) $(chaos kill_by) $(chaos recovered) $(chaos final_status)" = "true ok command true completed" ] && ok ||
  bad "command kill: exit $rc $(q "SELECT chaos FROM scenario_reports ORDER BY started_at DESC LIMIT 1") $(tail -5 "$TMP/err")"
[ "$(q "SELECT jsonb_array_length(chaos->'lost_tasks') || ' ' || jsonb_array_length(chaos->'duplicate_tasks') FROM scenario_reports ORDER BY started_at DESC LIMIT 1")" = "1 1" ] && ok ||
  bad "command kill: lost and duplicate tasks: $(q "SELECT chaos FROM scenario_reports ORDER BY started_at DESC LIMIT 1")"
[ "$(q "SELECT (chaos->>'kill_returned_ms')::int >= (chaos->>'kill_at_ms')::int FROM scenario_reports ORDER BY started_at DESC LIMIT 1")" = t ] && ok ||
  bad "kill_returned_ms: $(q "SELECT chaos FROM scenario_reports ORDER BY started_at DESC LIMIT 1")"
[ "$(curl -s "$SIM_URL/_sim/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("restarts", 0))')" = 1 ] && ok ||
  bad "SIGHUP did not restart the engine once: $(curl -s "$SIM_URL/_sim/counters")"
grep -rqs 'chaos kill' "$TMP/state/2501-runner/runs" && ok || bad "the kill playbook is not in the iteration's log"
[ "$(q "SELECT options->>'chaos_kill' FROM benchmarks ORDER BY started_at DESC LIMIT 1")" = command ] && ok ||
  bad "options.chaos_kill: $(q "SELECT options FROM benchmarks ORDER BY started_at DESC LIMIT 1")"
# The command is the operator's (it may carry a token): neither the options nor the
# report keep it.
[ "$(q "SELECT count(*) FROM benchmarks b JOIN scenario_reports r ON r.benchmark_id = b.id WHERE b.options::text LIKE '%kill -HUP%' OR r.chaos::text LIKE '%kill -HUP%'")" = 0 ] && ok ||
  bad "the kill command was stored"
# 5. A kill command that fails: the section says so, and the job still ends as usual.
rc=$(R --kill-command "exit 3")
[ "$rc" = 0 ] && [ "$(chaos killed) $(chaos kill_by) $(chaos recovered)" = "false command true" ] &&
  [ "$(chaos kill)" = "the kill command failed: ansible-playbook exit 2" ] && ok ||
  bad "failed kill command: exit $rc $(q "SELECT chaos FROM scenario_reports ORDER BY started_at DESC LIMIT 1")"
# 6. One way to kill at a time; an empty command is a usage error.
rc=$(R --kill-command true --kill-url "$SIM_URL/x")
[ "$rc" = 2 ] && grep -q 'kill' "$TMP/err" && ok || bad "--kill-command with --kill-url: exit $rc $(cat "$TMP/err")"
rc=$(R --kill-command " ")
[ "$rc" = 2 ] && grep -q -- '--kill-command: the command is empty' "$TMP/err" && ok || bad "empty --kill-command: exit $rc $(cat "$TMP/err")"
# `run` has no chaos section.
"$BIN/2501-runner" run --source fs --env-file "$TMP/env" -p "$TMP/scen" -s demo-runaway-log >"$TMP/out" 2>&1
[ "$(q "SELECT chaos IS NULL FROM scenario_reports ORDER BY started_at DESC LIMIT 1")" = t ] && ! grep -q 'chaos:' "$TMP/out" && ok || bad "run wrote chaos"

finish chaos_e2e
