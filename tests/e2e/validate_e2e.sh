#!/usr/bin/env bash
# `validate` and `flush` through the real binary, on real runs (real PostgreSQL, real
# ansible-playbook, the engine simulator):
#  - the lint: the examples are clean; a misspelt field, a playbook Ansible rejects and
#    a scenario without checks are named, exit 2 (warnings only with --strict); --json;
#  - the re-score: the rules evaluated on the stored trajectories give the verdicts of
#    the run; changed rules change them; --write stores a new benchmark linked to the
#    old one and leaves the old one as it was;
#  - flush: --dry-run, the question without a terminal, --yes, a live run left alone,
#    run logs and spooled lines deleted with their benchmark.
# usage: validate_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
make_test_database validate_e2e
RUN_PID=
cleanup() { [ -n "$RUN_PID" ] && kill -9 "$RUN_PID" 2>/dev/null; stop_engine_sim; drop_test_database; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
seed_test_database
isolate_demo_host
R() { "$BIN/2501-runner" "$@" --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err"; echo $?; }
SCEN="$SRC/examples/scenarios"
: >"$TMP/env"  # the lint needs no settings; start_engine_sim writes the real ones
KEYS=demo-broken-app-config,demo-runaway-log

# --- lint -----------------------------------------------------------------------------
[ "$(R validate --source fs -p "$SCEN")" = 0 ] && grep -q '5 scenario(s) checked: 0 error(s), 0 warning(s)' "$TMP/out" && ok ||
  bad "examples lint: $(cat "$TMP/out" "$TMP/err")"
mkdir -p "$TMP/lint/a" "$TMP/lint/b"
cp -r "$SCEN/disk/010-runaway-log/." "$TMP/lint/a/"
python3 - "$TMP/lint" <<'PY'
import json, sys
root = sys.argv[1]
d = json.load(open(root + "/a/scenario.json"))
d["key"] = "lint-a"
d["timeout_second"] = 30
d["validation"]["tasks"][0]["requried"] = False
json.dump(d, open(root + "/a/scenario.json", "w"), indent=1)
open(root + "/a/validate.yml", "w").write("- hosts: all\n  tasks:\n    - name: x\n      no_such_module_zz: {}\n")
json.dump({"key": "lint-b", "title": "b", "description": "d", "ticket_title": "t", "ticket_body": "b"},
          open(root + "/b/scenario.json", "w"))
PY
rc=$(R validate --source fs -p "$TMP/lint")
[ "$rc" = 2 ] && grep -q "timeout_second: unknown field, ignored; did you mean 'timeout_seconds'" "$TMP/err" &&
  grep -q "validation.tasks\[0\].requried: unknown field, ignored; did you mean 'required'" "$TMP/err" &&
  grep -q "validate.yml: ansible-playbook --syntax-check failed: ERROR! couldn't resolve module/action 'no_such_module_zz'" "$TMP/err" &&
  grep -q "^warning: .*lint/b/scenario.json: validation: no rules and no validate.yml" "$TMP/err" && ok ||
  bad "broken lint: exit $rc $(cat "$TMP/out" "$TMP/err")"
[ "$(R validate --source fs -p "$TMP/lint" -s lint-b)" = 0 ] && ok || bad "warnings alone pass: $(cat "$TMP/err")"
# A broken scenario selected by a glob is still an error.
mkdir -p "$TMP/lint/c" && echo '{"key":"lint-c","title":"c","description":"d","ticket_title":"t","ticket_body":"b","timeout_seconds":"x"}' >"$TMP/lint/c/scenario.json"
[ "$(R validate --source fs -p "$TMP/lint" -s 'lint-c*')" = 2 ] && grep -q "lint/c/scenario.json: timeout_seconds: expected an integer" "$TMP/err" && ok || bad "broken by glob: $(cat "$TMP/out" "$TMP/err")"
rm -rf "$TMP/lint/c"
[ "$(R validate --source fs -p "$TMP/lint" -s lint-b --strict)" = 2 ] && ok || bad "--strict: warnings fail"
rc=$(R validate --source fs -p "$TMP/lint" --json)
[ "$rc" = 2 ] && python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
codes=sorted(e['code'] for e in d['errors']); assert codes==['syntax_check','unknown_field','unknown_field'], codes
assert [w['code'] for w in d['warnings']]==['no_checks'] and d['ok'] is False and d['scenarios']==2, d" "$TMP/out" && ok ||
  bad "lint --json: $rc $(cat "$TMP/out")"
# Rules without validate.yml: a warning that nothing checks the host.
mkdir -p "$TMP/lint2/d" && cp -r "$SCEN/disk/010-runaway-log/." "$TMP/lint2/d/" && rm "$TMP/lint2/d/validate.yml"
rc=$(R validate --source fs -p "$TMP/lint2" --json)
[ "$rc" = 0 ] && python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
w=d['warnings']; assert [x['code'] for x in w]==['no_host_check'] and 'nothing checks the host itself' in w[0]['message'], w" "$TMP/out" && ok ||
  bad "no validate.yml: $rc $(cat "$TMP/out")"
printf '{\n  "key": "k",\n  "title" "t"\n}\n' >"$TMP/lint/b/scenario.json"
[ "$(R validate --source fs -p "$TMP/lint" -s lint-a)" = 2 ] && grep -q 'b/scenario.json: (file): invalid JSON: .*(line 3, column 13)' "$TMP/err" ||
  [ "$(R validate --source fs -p "$TMP/lint")" = 2 ] && grep -q 'b/scenario.json: (file): invalid JSON: .*(line 3, column 13)' "$TMP/err" && ok ||
  bad "invalid JSON with line and column: $(cat "$TMP/err")"

# --- re-score ---------------------------------------------------------------------------
start_engine_sim oracle "$SCEN"
[ "$(R run --source fs -p "$SCEN" -s $KEYS -i 2)" = 0 ] || bad "oracle run: $(tail -5 "$TMP/out")"
ORACLE=$(q "SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1")
start_engine_sim noop "$SCEN"
[ "$(R run --source fs -p "$SCEN" -s $KEYS)" = 0 ] || bad "noop run: $(tail -5 "$TMP/out")"
NOOP=$(q "SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1")
# Same rules, stored jobs: the verdicts and compliance of the run, every one.
for B in "$ORACLE" "$NOOP"; do
  rc=$(R validate --benchmark "$B" --source fs -p "$SCEN" --json)
  [ "$rc" = 0 ] && python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
assert d['changed']==0 and d['written'] is None and len(d['iterations'])>=2, d
for i in d['iterations']:
    assert i['kept'] is None and i['before']==dict((k,i['now'][k]) for k in ('status','compliance')), i" "$TMP/out" && ok ||
    bad "re-score with the same rules ($B): $rc $(cat "$TMP/out" "$TMP/err")"
done
# A prefix and `latest` find it; nonsense is named.
[ "$(R validate --benchmark "${NOOP:0:8}" --source fs -p "$SCEN")" = 0 ] && grep -q "0 of 2 verdict(s) changed" "$TMP/out" && ok ||
  bad "prefix: $(cat "$TMP/out" "$TMP/err")"
[ "$(R validate --benchmark nope --source fs -p "$SCEN")" = 2 ] && grep -q "is not a benchmark name, an ID" "$TMP/err" && ok || bad "bad --benchmark: $(cat "$TMP/err")"
# Stricter rules: a required check the oracle never met fails every iteration of that scenario.
mkdir -p "$TMP/strict" && cp -r "$SCEN/disk" "$TMP/strict/"
python3 - "$TMP/strict/disk/010-runaway-log/scenario.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["validation"]["tasks"].append({"label": "Agent used ncdu", "validator": "pattern_match", "where": "executed_commands",
                                 "pattern": "\\bncdu\\b"})
json.dump(d, open(sys.argv[1], "w"))
PY
rc=$(R validate --benchmark "$ORACLE" --source fs -p "$TMP/strict" --write)
NEW=$(q "SELECT id FROM benchmarks WHERE rescored_from = '$ORACLE'")
[ "$rc" = 0 ] && grep -q "2 of 4 verdict(s) changed; 2 kept as stored; stored as benchmark $NEW" "$TMP/out" &&
  grep -q "kept: the scenario is not in the scenarios source any more" "$TMP/out" && ok || bad "stricter re-score: $rc $(cat "$TMP/out" "$TMP/err")"
[ "$(q "SELECT string_agg(scenario_key || ':' || status || ':' || round(compliance_score) || ':' || coalesce(error_message, ''), ',' ORDER BY scenario_key, iteration) FROM scenario_reports WHERE benchmark_id = '$NEW' AND scenario_key = 'demo-runaway-log'")" = \
  "demo-runaway-log:failed:75:rule failed: Agent used ncdu,demo-runaway-log:failed:75:rule failed: Agent used ncdu" ] && ok ||
  bad "written re-score rows: $(q "SELECT scenario_key, iteration, status, compliance_score, error_message FROM scenario_reports WHERE benchmark_id = '$NEW'")"
[ "$(q "SELECT status || ' ' || total || ' ' || passed || ' ' || (options->>'rescored_from') FROM benchmarks WHERE id = '$NEW'")" = "completed 4 2 $ORACLE" ] && ok ||
  bad "re-score benchmark row: $(q "SELECT status, total, passed, options FROM benchmarks WHERE id = '$NEW'")"
[ "$(q "SELECT count(*) FILTER (WHERE status = 'passed') || '/' || count(*) FROM scenario_reports WHERE benchmark_id = '$ORACLE'")" = "4/4" ] && ok ||
  bad "the original was changed"

# --- flush --------------------------------------------------------------------------------
[ -d "$TMP/state/2501-runner/runs/$ORACLE" ] || bad "no run logs to flush"
[ "$(R flush --benchmark "$ORACLE" --dry-run)" = 0 ] && grep -q "benchmark $ORACLE .*: 4 report(s)" "$TMP/out" &&
  grep -q "nothing deleted" "$TMP/out" && [ "$(q "SELECT count(*) FROM benchmarks WHERE id = '$ORACLE'")" = 1 ] && ok || bad "flush --dry-run: $(cat "$TMP/out" "$TMP/err")"
[ "$(R flush --benchmark "$ORACLE" </dev/null)" = 2 ] && grep -q "pass --yes" "$TMP/err" && [ "$(q "SELECT count(*) FROM benchmarks WHERE id = '$ORACLE'")" = 1 ] && ok ||
  bad "flush without a terminal: $(cat "$TMP/err")"
# A spooled line of the benchmark goes too.
SPOOL="$TMP/spool"; mkdir -p "$SPOOL"; echo '{}' >"$SPOOL/$ORACLE.jsonl"
# The re-score points at the run's logs: flushing the run keeps them for it.
[ "$(R flush --benchmark "$ORACLE" --yes --spool-dir "$SPOOL")" = 0 ] && grep -q "deleted 1 benchmark(s), 4 report(s), 1 file(s)" "$TMP/out" &&
  [ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$ORACLE'")" = 0 ] && [ -d "$TMP/state/2501-runner/runs/$ORACLE" ] &&
  [ ! -e "$SPOOL/$ORACLE.jsonl" ] && [ "$(q "SELECT count(*) || coalesce(max(rescored_from::text), '-') FROM benchmarks WHERE id = '$NEW'")" = "1-" ] && ok ||
  bad "flush --yes: $(cat "$TMP/out" "$TMP/err") $(ls "$TMP/state/2501-runner/runs")"
# `latest` is the newest run, never a re-score; flushing the re-score takes the logs at last.
[ "$(R validate --benchmark latest --source fs -p "$SCEN")" = 0 ] && grep -q "re-scoring benchmark $NOOP" "$TMP/out" && ok || bad "latest: $(head -2 "$TMP/out")"
[ "$(R flush --benchmark "$NEW" --yes)" = 0 ] && [ ! -e "$TMP/state/2501-runner/runs/$ORACLE" ] && ok || bad "flush of the re-score: $(cat "$TMP/out" "$TMP/err")"
# -s names the benchmark's own scenarios; a typo is an error, not "everything".
[ "$(R validate --benchmark "$NOOP" --source fs -p "$SCEN" -s demo-runaway-lgo)" = 2 ] && grep -q "'demo-runaway-lgo' matches no scenario of benchmark $NOOP" "$TMP/err" && ok || bad "-s typo: $(cat "$TMP/out" "$TMP/err")"
[ "$(R validate --benchmark "$NOOP" --source fs -p "$SCEN" -s 'demo-run*' --json)" = 0 ] && python3 -c "
import json,sys; d=json.load(open(sys.argv[1])); assert [i['scenario_key'] for i in d['iterations']]==['demo-runaway-log'], d" "$TMP/out" && ok || bad "-s glob: $(cat "$TMP/out")"
[ "$(R flush --older-than 1d --yes)" = 0 ] && grep -q "nothing to delete" "$TMP/out" && ok || bad "flush --older-than: $(cat "$TMP/out" "$TMP/err")"
[ "$(R flush --older-than 5x)" = 2 ] && grep -q "older-than: '5x' is not an age" "$TMP/err" && ok || bad "bad --older-than: $(cat "$TMP/err")"
# A live run is never flushed.
start_engine_sim hang "$SCEN"
"$BIN/2501-runner" run --source fs --env-file "$TMP/env" -p "$SCEN" -s demo-runaway-log >"$TMP/live.out" 2>&1 &
RUN_PID=$!
for _ in $(seq 300); do grep -q 'flush ok' "$TMP/live.out" && break; sleep 0.1; done
LIVE=$(q "SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1")
[ "$(R flush --benchmark "$LIVE" --yes)" = 2 ] && grep -q "benchmark $LIVE is still running: left alone" "$TMP/err" &&
  [ "$(q "SELECT count(*) FROM benchmarks WHERE id = '$LIVE'")" = 1 ] && ok || bad "live run flushed: $(cat "$TMP/out" "$TMP/err")"
kill -INT "$RUN_PID"; wait "$RUN_PID"; RUN_PID=

finish validate_e2e
