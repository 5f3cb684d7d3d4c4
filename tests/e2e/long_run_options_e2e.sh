#!/usr/bin/env bash
# Narrowing, ordering, stopping early and failing with a threshold, through the real
# binary against the engine simulator (host mode, the demo host):
#  1. --exclude and --limit: only the scenarios left run; the options record them;
#  2. -x / --max-failures: no new iteration after N did not pass; the end says how many
#     were not run; with --fail-on-error the exit is 1;
#  3. --fail-on-error N and P%: exit 1 only past the threshold;
#  4. --shuffle --seed: the order is recorded and repeats with the same seed;
#  5. --retries: a prepare that fails once is run again and passes, the report keeps the
#     earlier attempt; one that always fails ends in error after N+1 attempts; an
#     agent's failure is never run again; a bad count is a usage error.
# usage: long_run_options_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
make_test_database long_runs_e2e
cleanup() { stop_engine_sim; drop_test_database; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
seed_test_database
isolate_demo_host
runner() { "$BIN/2501-runner" run --source fs -p "$SRC/examples/scenarios" --env-file "$TMP/env" "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; }
last() { q "SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1"; }
keys_of() { q "SELECT string_agg(scenario_key, ',' ORDER BY started_at) FROM scenario_reports WHERE benchmark_id = '$1'"; }

# 1. --exclude and --limit.
start_engine_sim oracle "$SRC/examples/scenarios"
rc=$(runner -s demo --exclude demo-broken-app-config,demo-disabled-* --limit 2)
B=$(last)
[ "$rc" = 0 ] && [ "$(keys_of "$B")" = "demo-data-folder-permissions,demo-runaway-log" ] && ok ||
  bad "--exclude/--limit: exit $rc, ran $(keys_of "$B") $(tail -5 "$TMP/err")"
[ "$(q "SELECT options->>'exclude' || ' ' || (options->>'limit') FROM benchmarks WHERE id = '$B'")" = '["demo-broken-app-config", "demo-disabled-*"] 2' ] && ok ||
  bad "options: $(q "SELECT options FROM benchmarks WHERE id = '$B'")"
rc=$(runner -s demo --exclude demo-brokn-app-config)
[ "$rc" = 2 ] && grep -q "\-\-exclude: 'demo-brokn-app-config' matches no scenario key or tag (did you mean 'demo-broken-app-config'" "$TMP/err" && ok ||
  bad "--exclude typo: exit $rc $(cat "$TMP/err")"

# 2. -x and --max-failures: noop fails every scenario.
start_engine_sim noop "$SRC/examples/scenarios"
rc=$(runner -s demo --limit 3 -x)
B=$(last)
[ "$rc" = 0 ] && [ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B'")" = 1 ] &&
  grep -q 'stopped early by --max-failures 1: 2 of 3 scenario-iteration(s) not run' "$TMP/out" "$TMP/err" && ok ||
  bad "-x: exit $rc, $(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B'") report(s) $(tail -5 "$TMP/out")"
rc=$(runner -s demo --limit 3 --max-failures 2 --fail-on-error)
B=$(last)
[ "$rc" = 1 ] && [ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B'")" = 2 ] && ok ||
  bad "--max-failures 2 --fail-on-error: exit $rc, $(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B'") report(s)"
[ "$(q "SELECT options->>'max_failures' || ' ' || (options->>'fail_on_error') FROM benchmarks WHERE id = '$B'")" = "2 any" ] && ok ||
  bad "options: $(q "SELECT options FROM benchmarks WHERE id = '$B'")"

# 3. Thresholds: two iterations, both failed.
rc=$(runner -s demo-runaway-log -i 2 --fail-on-error 2)
[ "$rc" = 0 ] && ok || bad "--fail-on-error 2 with 2 failed: exit $rc"
rc=$(runner -s demo-runaway-log -i 2 --fail-on-error 50%)
[ "$rc" = 1 ] && ok || bad "--fail-on-error 50% with all failed: exit $rc"
rc=$(runner -s demo-runaway-log --fail-on-error lots)
[ "$rc" = 2 ] && grep -q "fail-on-error: 'lots' is not a count" "$TMP/err" && ok || bad "--fail-on-error lots: exit $rc $(cat "$TMP/err")"

# 4. --shuffle: the seed is recorded and repeats the order (seed 11 puts these four out
#    of their sorted order; some seeds, 7 among them, happen to keep it).
start_engine_sim oracle "$SRC/examples/scenarios"
rc=$(runner -s demo --limit 4 --shuffle --seed 11)
B1=$(last)
rc2=$(runner -s demo --limit 4 --shuffle --seed 11)
B2=$(last)
[ "$rc" = 0 ] && [ "$rc2" = 0 ] && [ "$(keys_of "$B1")" = "$(keys_of "$B2")" ] &&
  [ "$(q "SELECT options->>'shuffle_seed' FROM benchmarks WHERE id = '$B1'")" = 11 ] && ok ||
  bad "--shuffle --seed 11: exits $rc $rc2, orders $(keys_of "$B1") / $(keys_of "$B2")"
[ "$(keys_of "$B1")" != "demo-broken-app-config,demo-data-folder-permissions,demo-disabled-backup-job,demo-runaway-log" ] && ok ||
  bad "--shuffle --seed 11 kept the sorted order"
rc=$(runner -s demo-runaway-log --shuffle)
grep -qE -- '--shuffle: iterations in a random order, seed [0-9]+' "$TMP/out" "$TMP/err" && [ -n "$(q "SELECT options->>'shuffle_seed' FROM benchmarks ORDER BY started_at DESC LIMIT 1")" ] && ok ||
  bad "--shuffle without a seed: $(head -5 "$TMP/out")"

# 5. --retries: scenarios whose prepare.yml fails once (a marker file) or always.
SCEN="$TMP/retry-scenarios"
mkdir -p "$SCEN"
for name in flaky broken; do
  cp -r "$SRC/examples/scenarios/disk/010-runaway-log" "$SCEN/$name"
  python3 - "$SCEN/$name/scenario.json" "retry-$name" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["key"] = sys.argv[2]
json.dump(s, open(sys.argv[1], "w"), indent=2)
PY
done
mv "$SCEN/flaky/prepare.yml" "$SCEN/flaky/prepare-real.yml"
cat >"$SCEN/flaky/prepare.yml" <<YML
- name: A prepare that fails the first time only
  hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.shell: 'if [ ! -e $TMP/flaky-marker ]; then touch $TMP/flaky-marker; exit 1; fi'
- ansible.builtin.import_playbook: prepare-real.yml
YML
cat >"$SCEN/broken/prepare.yml" <<'YML'
- name: A prepare that always fails
  hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.fail:
        msg: broken on purpose
YML
start_engine_sim oracle "$SCEN"
retry_run() { "$BIN/2501-runner" run --source fs -p "$SCEN" --env-file "$TMP/env" "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; }
attempts_of() { q "SELECT status || ' ' || coalesce(jsonb_array_length(attempts)::text, '-') || ' ' || coalesce(attempts->0->>'error_kind', '-') FROM scenario_reports WHERE benchmark_id = '$1' AND scenario_key = '$2'"; }
rc=$(retry_run -s retry-flaky --retries 2)
B=$(last)
[ "$rc" = 0 ] && [ "$(attempts_of "$B" retry-flaky)" = "passed 1 prepare" ] && ok ||
  bad "a flaky prepare retried: exit $rc $(attempts_of "$B" retry-flaky) $(tail -n 5 "$TMP/err")"
grep -q "retry-flaky #1: infrastructure error (prepare); --retries: running it again, attempt 2 of 3" "$TMP/err" "$TMP/out" &&
  grep -q "1 scenario-iteration(s) needed retries (1 attempt(s) ended in an infrastructure error and ran again)" "$TMP/out" && ok ||
  bad "retry lines: $(cat "$TMP/out" "$TMP/err" | tail -n 20)"
[ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B'")" = 1 ] &&
  [ "$(q "SELECT options->>'retries' FROM benchmarks WHERE id = '$B'")" = 2 ] && ok || bad "one row, retries recorded"
"$BIN/2501-runner" report "$B" -f json --env-file "$TMP/env" >"$TMP/r.json" 2>"$TMP/err"
python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['iterations'][0]['attempts']; assert a[0]['attempt'] == 1 and a[0]['error_kind'] == 'prepare', a" "$TMP/r.json" &&
  ok || bad "the JSON report's attempts: $(head -c 600 "$TMP/r.json")"
rc=$(retry_run -s retry-broken --retries 1)
B=$(last)
[ "$rc" = 4 ] && [ "$(attempts_of "$B" retry-broken)" = "error 1 prepare" ] && ok ||
  bad "retries run out: exit $rc $(attempts_of "$B" retry-broken)"
# An agent's failure (noop: the rules fail) is never run again.
start_engine_sim noop "$SCEN"
rm -f "$TMP/flaky-marker"
touch "$TMP/flaky-marker"
rc=$(retry_run -s retry-flaky --retries 3)
B=$(last)
[ "$rc" = 0 ] && [ "$(attempts_of "$B" retry-flaky)" = "failed - -" ] && ! grep -q "running it again" "$TMP/err" "$TMP/out" && ok ||
  bad "a failure was retried: exit $rc $(attempts_of "$B" retry-flaky)"
rc=$(retry_run -s retry-flaky --retries 101)
[ "$rc" = 2 ] && grep -q "^error: --retries: '101' is not an integer from 0 to 100" "$TMP/err" && ok || bad "--retries 101: exit $rc $(cat "$TMP/err")"

finish long_run_options_e2e
