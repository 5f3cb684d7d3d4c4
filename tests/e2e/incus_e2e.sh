#!/usr/bin/env bash
# The incus provider against the real daemon (started by scripts/test through
# scripts/incus-env): containers cloned from template-debian-base, Ansible and the
# engine simulator's solution playbooks over SSH on the runnerbr0 bridge.
#  1. a parallel run of four scenarios under a 2 GB cap (1 GB clones: two at a time,
#     the others queue): all pass, no clone left, clone rows removed, capacity recorded
#  2. SIGINT mid-run: exit 130, nothing left behind
#  3. SIGKILL mid-run: clones stay; `sandbox purge-vms` reaps them and their rows
#  4. sandbox create: the printed ssh command works; sandbox delete removes it
# usage: incus_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
if ! incus query /1.0 >/dev/null 2>&1; then
  echo "incus_e2e: incusd does not answer; scripts/test starts it with scripts/incus-env start"
  exit 1
fi
make_test_database incus_e2e
RUN_PID=
ours() { incus query '/1.0/instances?recursion=1' | python3 -c "import json,sys; print(' '.join(sorted(i['name'] for i in json.load(sys.stdin) if i['config'].get('user.2501-runner.benchmark','') in sys.argv[1:] and sys.argv[1:])))" "$@"; }
cleanup() {
  [ -n "$RUN_PID" ] && kill -9 "$RUN_PID" 2>/dev/null
  stop_engine_sim
  # Whatever a failed check left: this test's clones only (its benchmarks' labels).
  for b in $(q "SELECT id FROM benchmarks" 2>/dev/null); do
    for n in $(ours "$b"); do incus delete --force "$n" >/dev/null 2>&1; done
  done
  incus delete --force e2e-standalone-$$ >/dev/null 2>&1
  drop_test_database
  rm -rf "$TMP"
}
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=200 RUNNER_POLL_MAX_MS=500
export RUNNER_SSH_KEY="$TMP/key/runner_key"  # made by the runner; authorized in every clone
seed_test_database

start_sim() { start_engine_sim oracle "$SRC/examples/scenarios" "$1" 200; }  # start_sim JOB_DURATION_MS
runner() { "$BIN/2501-runner" "$@" --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err"; echo $?; }
last_bench() { q "SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1"; }
ephemeral_rows() { q "SELECT (SELECT count(*) FROM hosts WHERE ephemeral) + (SELECT count(*) FROM agents WHERE ephemeral)"; }
RUN=(run --source fs -p "$SRC/examples/scenarios" -m incus --vm-templates-path "$SRC/examples/vm-templates")
wait_for_clone() {  # the first clone of the run in flight is up and registered
  for _ in $(seq 240); do
    B=$(last_bench)
    [ -n "$B" ] && [ -n "$(ours "$B")" ] && [ "$(ephemeral_rows)" != 0 ] && return 0
    sleep 0.5
  done
  return 1
}

# 1. Parallel under a cap that forces queueing.
start_sim 500
rc=$(runner "${RUN[@]}" -s demo-broken-app-config,demo-runaway-log,demo-disabled-backup-job,demo-data-folder-permissions --parallel --parallel-ram-cap 2)
B=$(last_bench)
[ "$rc" = 0 ] && ok || bad "parallel incus run exit $rc: $(tail -30 "$TMP/out") $(cat "$TMP/err")"
[ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B' AND status = 'passed' AND mode = 'incus' AND validate_playbook = 'passed'")" = 4 ] && ok || bad "incus reports: $(q "SELECT scenario_key, status, error_message FROM scenario_reports WHERE benchmark_id = '$B'")"
[ -z "$(ours "$B")" ] && ok || bad "clones left: $(ours "$B")"
[ "$(ephemeral_rows)" = 0 ] && ok || bad "clone rows left: $(ephemeral_rows)"
[ "$(q "SELECT capacity->>'budget_mib' || ' ' || (capacity->>'peak_mib') || ' ' || (capacity->>'peak_clones') FROM benchmarks WHERE id = '$B'")" = "2048 2048 2" ] && ok || bad "capacity: $(q "SELECT capacity FROM benchmarks WHERE id = '$B'")"
# Queueing happened: some scenario started only after another one had finished.
[ "$(q "SELECT count(*) FROM scenario_reports a WHERE benchmark_id = '$B' AND EXISTS (SELECT 1 FROM scenario_reports b WHERE b.benchmark_id = a.benchmark_id AND b.finished_at <= a.started_at)")" -ge 1 ] && ok || bad "no queueing seen"

# 2. SIGINT while jobs run: interrupted, clones and rows gone, exit 130.
start_sim 60000
"$BIN/2501-runner" "${RUN[@]}" -s demo-runaway-log,demo-broken-app-config --parallel --parallel-ram-cap 2 --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err" &
RUN_PID=$!
wait_for_clone && sleep 3 && ok || bad "no clone appeared: $(tail -5 "$TMP/out")"
B=$(last_bench)
# A live clone carries its template's memory limit and the run's labels.
CLONE=$(ours "$B" | cut -d' ' -f1)
[ "$(incus config get "$CLONE" limits.memory)" = 1024MiB ] && [ "$(incus config get "$CLONE" user.2501-runner.role)" = run ] &&
  [ "$(incus config get "$CLONE" user.2501-runner.benchmark)" = "$B" ] && ok || bad "clone limits/labels of $CLONE"
kill -INT "$RUN_PID"
wait "$RUN_PID"
rc=$?
RUN_PID=
[ "$rc" = 130 ] && ok || bad "SIGINT exit $rc: $(tail -10 "$TMP/out") $(cat "$TMP/err")"
[ -z "$(ours "$B")" ] && [ "$(ephemeral_rows)" = 0 ] && ok || bad "SIGINT left clones '$(ours "$B")' rows $(ephemeral_rows)"
[ "$(q "SELECT status FROM benchmarks WHERE id = '$B'")" = interrupted ] && ok || bad "SIGINT benchmark status"

# 3. SIGKILL: nothing can clean up; purge-vms reaps the dead run's clones and rows.
"$BIN/2501-runner" "${RUN[@]}" -s demo-runaway-log --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err" &
RUN_PID=$!
wait_for_clone && ok || bad "no clone appeared before SIGKILL"
B=$(last_bench)
sleep 1
kill -9 "$RUN_PID"
wait "$RUN_PID" 2>/dev/null
RUN_PID=
LEFT=$(ours "$B")
[ -n "$LEFT" ] && [ "$(ephemeral_rows)" != 0 ] && ok || bad "SIGKILL should leave a clone and rows"
rc=$(runner sandbox purge-vms -m incus)
[ "$rc" = 0 ] && [ -z "$(ours "$B")" ] && ok || bad "purge-vms: exit $rc, left '$(ours "$B")' $(cat "$TMP/err")"
[ "$(ephemeral_rows)" = 0 ] && ok || bad "purge-vms rows left: $(ephemeral_rows)"
incus query /1.0/instances/template-debian-base >/dev/null 2>&1 && ok || bad "purge-vms touched the template"

# 4. sandbox create: the printed ssh command reaches the VM; delete removes it.
rc=$(runner sandbox create --template debian-base -m incus -n "e2e-standalone-$$" --vm-templates-path "$SRC/examples/vm-templates")
SSH=$(grep '^ssh -i ' "$TMP/out")
[ "$rc" = 0 ] && [ -n "$SSH" ] && ok || bad "sandbox create: $rc $(cat "$TMP/out" "$TMP/err")"
# shellcheck disable=SC2086
[ "$(timeout 30 $SSH -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes 'sudo -n hostname' 2>/dev/null)" = "e2e-standalone-$$" ] && ok || bad "ssh into the created VM: $SSH"
rc=$(runner sandbox delete -s "e2e-standalone-$$" -m incus)
[ "$rc" = 0 ] && ! incus query "/1.0/instances/e2e-standalone-$$" >/dev/null 2>&1 && [ "$(ephemeral_rows)" = 0 ] && ok || bad "sandbox delete: $rc"

finish incus_e2e
