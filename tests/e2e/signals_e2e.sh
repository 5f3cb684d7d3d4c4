#!/usr/bin/env bash
# Stopping a run, in its three steps (README "Stopping a run"), through the real
# binary with real ansible-playbook, PostgreSQL and the engine simulator:
#  1. An engine that never answers a cancel: one SIGINT still ends the run within a
#     bounded time; the row says interrupted and names the failed cancel.
#  2. A second SIGINT during a long prepare.yml: the playbook and what it started are
#     killed, the run's agent override is restored, the benchmark is interrupted and
#     its row written, exit 130, in seconds.
#  3. A second SIGINT while the cancel hangs: the engine is not waited for.
#  4. A third SIGINT while the database is frozen (the second step cannot finish): the
#     process exits at once (130), its children die with it.
#  5. A SIGINT during pre-flight (a frozen database): exits at once, 130.
# The database is a private cluster (it is frozen here).
# usage: signals_e2e.sh path/to/bin-dir source-dir
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
chmod 755 "$TMP"
source "$SRC/tests/e2e/lib.sh"
start_private_cluster signals-pw
make_test_database signals_e2e
cleanup() {
  [ -n "${RUN_PID:-}" ] && kill -9 "$RUN_PID" 2>/dev/null
  stop_engine_sim
  stop_private_cluster
  rm -rf "$TMP"
}
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
seed_test_database
isolate_demo_host
KEY=demo-broken-app-config

# The example scenario, its prepare.yml replaced by one that sleeps (a marker number
# in the command line finds the sleep among the processes).
SLOW="$TMP/slow"
mkdir -p "$SLOW"
cp -r "$SRC/examples/scenarios/config/001-broken-app-config" "$SLOW/"
cat >"$SLOW/001-broken-app-config/prepare.yml" <<'YML'
- name: A prepare that takes its time
  hosts: all
  gather_facts: false
  tasks:
    - name: Sleep
      ansible.builtin.command: sleep 4217
YML
sleeping() { pgrep -f '[s]leep 4217' >/dev/null; }

# The engine simulator with a misbehaviour (or none).
engine() { ENGINE_SIM_FLAGS=${2:+--misbehave $2} start_engine_sim "$1" "$SRC/examples/scenarios"; }
start_run() {
  "$BIN/2501-runner" run --source fs --env-file "$TMP/env" "$@" >"$TMP/out" 2>"$TMP/err" &
  RUN_PID=$!
}
# ended_within SECONDS: the run exited within the time; its exit code in $rc.
ended_within() {
  for _ in $(seq $(($1 * 10))); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$RUN_PID" 2>/dev/null; then
    rc=running
    kill -9 "$RUN_PID"
  else
    wait "$RUN_PID"
    rc=$?
  fi
  RUN_PID=
}
read_jobs() { curl -s "$SIM_URL/_sim/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("requests.read_job", 0))'; }
# Up to 60 s for the runner to read its job (it knows the job id: the cancel has a target).
wait_job_read() { for _ in $(seq 600); do [ "$(read_jobs)" -gt 0 ] && return 0; sleep 0.1; done; return 1; }
last_bench() { q "SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1"; }
row() { q "SELECT error_kind || ': ' || error_message FROM scenario_reports WHERE benchmark_id = '$1'"; }

# 1. A deaf engine: one SIGINT, the cancel fails within its bound (2 x 10 s).
engine hang deaf-cancel
start_run -p "$SRC/examples/scenarios" -s $KEY
wait_job_read || bad "deaf cancel: the job was never read"
T0=$(date +%s)
kill -INT "$RUN_PID"
ended_within 60
B=$(last_bench)
[ "$rc" = 130 ] && ok || bad "deaf cancel: exit $rc after $(($(date +%s) - T0)) s: $(tail -5 "$TMP/out")"
# The cancel's bound is 2 x 10 s (+ backoff); restore.yml and the reports follow.
[ $(($(date +%s) - T0)) -le 50 ] && ok || bad "deaf cancel: took $(($(date +%s) - T0)) s"
row "$B" | grep -q '^interrupted: run interrupted; the cancel of job .* \(failed\|got no answer\)' && ok ||
  bad "deaf cancel: row '$(row "$B")'"
[ "$(q "SELECT status FROM benchmarks WHERE id = '$B'")" = interrupted ] && ok || bad "deaf cancel: benchmark status"

# 2. A second SIGINT during a long prepare.yml, with an agent override in place.
engine oracle
AGENT=agt_demo01
ORIG=$(q "SELECT main_engine FROM agents WHERE id = '$AGENT'")
start_run -p "$SLOW" -s $KEY --main-engine engine-under-test
for _ in $(seq 300); do sleeping && break; sleep 0.1; done
sleeping && ok || bad "slow prepare: the sleep never started: $(tail -5 "$TMP/out")"
[ "$(q "SELECT main_engine FROM agents WHERE id = '$AGENT'")" = engine-under-test ] && ok || bad "the override was not applied"
kill -INT "$RUN_PID"
sleep 2
kill -0 "$RUN_PID" 2>/dev/null && sleeping && ok || bad "first SIGINT: the run did not wait for prepare.yml"
cat "$TMP/out" "$TMP/err" | grep -q 'interrupt again to stop waiting' && ok || bad "first SIGINT: no hint of the second step"
T0=$(date +%s)
kill -INT "$RUN_PID"
ended_within 20
B=$(last_bench)
[ "$rc" = 130 ] && ok || bad "second SIGINT: exit $rc: $(tail -5 "$TMP/out") $(cat "$TMP/err")"
[ $(($(date +%s) - T0)) -le 10 ] && ok || bad "second SIGINT: took $(($(date +%s) - T0)) s"
sleeping && bad "second SIGINT: the playbook's sleep survived" || ok
[ "$(q "SELECT main_engine FROM agents WHERE id = '$AGENT'")" = "$ORIG" ] && ok || bad "second SIGINT: override not restored"
[ "$(q "SELECT count(*) FROM host_holds")" = 0 ] && ok || bad "second SIGINT: host holds left"
[ "$(q "SELECT status FROM benchmarks WHERE id = '$B'")" = interrupted ] && ok || bad "second SIGINT: benchmark status"
[ "$(row "$B")" = "interrupted: prepare.yml killed by the run's second interrupt" ] && ok || bad "second SIGINT: row '$(row "$B")'"
cat "$TMP/out" "$TMP/err" | grep -q 'second interrupt: not waiting for the engine' && ok || bad "second SIGINT: not said on the console"

# 3. A second SIGINT while the cancel hangs: not waited for.
engine hang deaf-cancel
start_run -p "$SRC/examples/scenarios" -s $KEY
wait_job_read || bad "deaf cancel 2: the job was never read"
kill -INT "$RUN_PID"
sleep 1
T0=$(date +%s)
kill -INT "$RUN_PID"
ended_within 10
B=$(last_bench)
[ "$rc" = 130 ] && ok || bad "deaf cancel, second SIGINT: exit $rc: $(tail -5 "$TMP/out")"
[ $(($(date +%s) - T0)) -le 5 ] && ok || bad "deaf cancel, second SIGINT: took $(($(date +%s) - T0)) s"
row "$B" | grep -q 'the cancel of job .* was not waited for (second interrupt)' && ok || bad "deaf cancel, second SIGINT: row '$(row "$B")'"

# 4. A third SIGINT while the second step cannot finish (the database frozen): gone
#    at once, and the playbook with it.
engine oracle
start_run -p "$SLOW" -s $KEY
for _ in $(seq 300); do sleeping && break; sleep 0.1; done
sleeping || bad "third SIGINT: the sleep never started"
kill -INT "$RUN_PID"
sleep 1
freeze
kill -INT "$RUN_PID"
sleep 2
kill -0 "$RUN_PID" 2>/dev/null && ok || bad "third SIGINT: the run ended before the third signal: $(tail -3 "$TMP/out")"
T0=$(date +%s)
kill -INT "$RUN_PID"
ended_within 5
thaw
[ "$rc" = 130 ] && ok || bad "third SIGINT: exit $rc"
[ $(($(date +%s) - T0)) -le 2 ] && ok || bad "third SIGINT: took $(($(date +%s) - T0)) s"
cat "$TMP/out" "$TMP/err" | grep -q 'third interrupt: exiting now' && ok || bad "third SIGINT: not said"
for _ in $(seq 30); do sleeping || break; sleep 0.1; done
sleeping && bad "third SIGINT: the playbook's sleep survived" || ok

# 5. A SIGINT during pre-flight (the database frozen): exits at once.
freeze
start_run -p "$SRC/examples/scenarios" -s $KEY
sleep 2
T0=$(date +%s)
kill -INT "$RUN_PID"
ended_within 5
thaw
[ "$rc" = 130 ] && ok || bad "pre-flight SIGINT: exit $rc: $(tail -3 "$TMP/out") $(cat "$TMP/err")"
[ $(($(date +%s) - T0)) -le 2 ] && ok || bad "pre-flight SIGINT: took $(($(date +%s) - T0)) s"
grep -q 'interrupted before the first iteration started' "$TMP/err" && ok || bad "pre-flight SIGINT: not said: $(cat "$TMP/err")"

finish signals_e2e
