#!/usr/bin/env bash
# Results people read and gate on, through the real binary on real runs (real
# PostgreSQL, real ansible-playbook, the engine simulator):
#  - run --name / a generated name; runs (table and --json); report by name, ID prefix
#    and latest in every format; the JUnit XML validated against tests/junit/junit.xsd
#    with xmllint; run --junit/--json and $GITHUB_STEP_SUMMARY;
#  - compare: Fisher's p-value and the interval in --json, exit 1 only on a regression;
#    run --baseline with and without --max-regression as a CI gate; a baseline that
#    does not exist stops the run before anything runs;
#  - flush by name; usage errors for names and formats.
# usage: report_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
make_test_database report_e2e
cleanup() { stop_engine_sim; drop_test_database; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
unset GITHUB_STEP_SUMMARY
seed_test_database
isolate_demo_host
R() { "$BIN/2501-runner" "$@" --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err"; echo $?; }
SCEN="$SRC/examples/scenarios"
KEY=demo-runaway-log
XSD="$SRC/tests/junit/junit.xsd"
count() { q "SELECT count(*) FROM benchmarks"; }

# --- a named run writing every CI output ---------------------------------------------------
start_engine_sim oracle "$SCEN"
rc=$(GITHUB_STEP_SUMMARY="$TMP/step.md" R run --source fs -p "$SCEN" -s $KEY -i 2 --name nightly-a \
  --junit "$TMP/run.xml" --json "$TMP/run.json")
[ "$rc" = 0 ] && grep -q "(nightly-a) started" "$TMP/out" && ok || bad "named run: exit $rc $(tail -5 "$TMP/out" "$TMP/err")"
A=$(q "SELECT id FROM benchmarks WHERE name = 'nightly-a'")
[ -n "$A" ] && ok || bad "the name is stored"
xmllint --noout --schema "$XSD" "$TMP/run.xml" 2>"$TMP/xmllint" && ok || bad "run --junit is not valid: $(cat "$TMP/xmllint")"
python3 - "$TMP/run.xml" "$TMP/run.json" "$A" <<'PY' && ok || bad "run --junit/--json content"
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites" and root.get("tests") == "2" and root.get("failures") == "0", root.attrib
cases = root.findall("testsuite/testcase")
assert [c.get("name") for c in cases] == ["demo-runaway-log #1", "demo-runaway-log #2"], cases
assert all("execute" in c.find("system-out").text for c in cases), [c.find("system-out").text for c in cases]
d = json.load(open(sys.argv[2]))
assert d["format"] == "2501-runner.report/1" and d["benchmark"]["id"] == sys.argv[3], d["benchmark"]
assert d["benchmark"]["name"] == "nightly-a" and d["benchmark"]["status"] == "completed"
assert d["totals"] == {"iterations": 2, "passed": 2, "failed": 0, "errors": 0, "pass_rate": 1.0}, d["totals"]
assert [i["status"] for i in d["iterations"]] == ["passed", "passed"]
assert all(i["phases"]["execute"]["outcome"] == "ok" and i["trajectory_stored"] for i in d["iterations"]), d["iterations"][0]["phases"]
# The platform's timings, as polled: the job was picked up, had a task, ended.
for i in d["iterations"]:
    p = i["platform"]
    assert all(isinstance(p[k], int) and p[k] >= 0 for k in ("ticket_to_pickup_ms",
               "first_task_to_terminal_ms", "ticket_to_terminal_ms", "resolution_ms")), p
    # The simulator starts the first task as it picks the job up: both are first seen
    # at one look, so the span between them is unknown (null), or measured when apart.
    assert p["pickup_to_first_task_ms"] is None or p["pickup_to_first_task_ms"] > 0, p
    assert p["ticket_to_terminal_ms"] >= p["ticket_to_pickup_ms"] + p["first_task_to_terminal_ms"], p
    assert p["cancel_latency_ms"] is None, p
assert d["scenarios"][0]["platform_medians"]["ticket_to_pickup_ms"] is not None, d["scenarios"][0]
PY
grep -q "platform timings, medians per scenario" "$TMP/out" && grep -qE "^demo-runaway-log +[0-9.]+s +([0-9.]+s|-) +[0-9.]+s +- *$" "$TMP/out" && ok ||
  bad "platform timings in the summary: $(grep -A3 'platform timings' "$TMP/out")"
# What run wrote is what report reads back.
[ "$(R report nightly-a -f json -o "$TMP/a.json")" = 0 ] && python3 - "$TMP/run.json" "$TMP/a.json" <<'PY' && ok || bad "run --json equals report -f json"
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for part in ("benchmark", "totals", "scenarios", "iterations"):
    assert a[part] == b[part], (part, a[part], b[part])
PY
# A re-score does not take the run's name.
[ "$(R validate --benchmark nightly-a --source fs -p "$SCEN" --write)" = 0 ] && [ "$(R report nightly-a -f json)" = 0 ] &&
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['benchmark']['id']==sys.argv[2] and d['benchmark']['rescored_from'] is None, d['benchmark']" "$TMP/out" "$A" &&
  [ "$(q "SELECT count(*) FROM benchmarks WHERE rescored_from = '$A' AND name <> 'nightly-a'")" = 1 ] && ok ||
  bad "a re-score keeps its own name: $(cat "$TMP/err")"
grep -q "^## 2501-runner: nightly-a" "$TMP/step.md" && grep -q "| demo-runaway-log | 2/2 | 100% |" "$TMP/step.md" && ok ||
  bad "step summary: $(cat "$TMP/step.md")"

# --- a worse run: compare and the --baseline gate -------------------------------------------
start_engine_sim noop "$SCEN"
n=$(count)
# 2/2 -> 0/2 is not significant (one-sided Fisher p = 1/6): without a threshold the gate passes.
rc=$(R run --source fs -p "$SCEN" -s $KEY -i 2 --name nightly-b --baseline nightly-a)
[ "$rc" = 0 ] && grep -q "compare: base nightly-a" "$TMP/out" && grep -q "0 regressed" "$TMP/out" && ok ||
  bad "baseline without threshold: exit $rc $(tail -8 "$TMP/out" "$TMP/err")"
rc=$(R run --source fs -p "$SCEN" -s $KEY -i 2 --name nightly-c --baseline nightly-a --max-regression 10%)
[ "$rc" = 1 ] && grep -q "regression: demo-runaway-log: pass rate 100% -> 0%, a drop of 100 points > --max-regression 10" "$TMP/err" && ok ||
  bad "baseline gate: exit $rc $(tail -8 "$TMP/out" "$TMP/err")"
[ "$(count)" = $((n + 2)) ] && ok || bad "both gated runs are stored"
rc=$(R compare nightly-a nightly-b --json)
[ "$rc" = 0 ] && python3 - "$TMP/out" <<'PY' && ok || bad "compare --json: exit $rc $(cat "$TMP/out" "$TMP/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["test"] == "fisher-exact" and d["regressed"] is False, d
s = d["scenarios"][0]
assert s["key"] == "demo-runaway-log" and s["base"]["pass_rate"] == 1.0 and s["new"]["pass_rate"] == 0.0, s
assert abs(s["p_value"] - 1/3) < 1e-9 and abs(s["p_drop"] - 1/6) < 1e-9 and s["difference"] == -1.0, s
assert -1.0 <= s["ci95"][0] < s["ci95"][1] < 0, s["ci95"]
PY
[ "$(R compare nightly-a nightly-b --max-regression 0.5)" = 1 ] && grep -q "REGRESSED" "$TMP/out" && ok ||
  bad "compare with a threshold: $(cat "$TMP/out" "$TMP/err")"
# A scenario only in one side is listed, never compared.
start_engine_sim oracle "$SCEN"
[ "$(R run --source fs -p "$SCEN" -s demo-broken-app-config --name other)" = 0 ] || bad "other run: $(tail -5 "$TMP/out")"
[ "$(R compare nightly-a other)" = 0 ] && grep -q "only in base: demo-runaway-log" "$TMP/out" &&
  grep -q "only in new: demo-broken-app-config" "$TMP/out" && ok || bad "one-sided scenarios: $(cat "$TMP/out")"
n=$(count)
[ "$(R run --source fs -p "$SCEN" -s $KEY --junit /nonexistent/dir/r.xml)" = 2 ] &&
  grep -q "^error: --junit: folder /nonexistent/dir of /nonexistent/dir/r.xml does not exist" "$TMP/err" && [ "$(count)" = "$n" ] && ok ||
  bad "unwritable --junit found before the run: $(cat "$TMP/err")"
[ "$(R run --source fs -p "$SCEN" -s $KEY --baseline no-such-run)" = 2 ] &&
  grep -q "^error: --baseline: 'no-such-run' is not a benchmark name" "$TMP/err" && [ "$(count)" = "$n" ] && ok ||
  bad "unknown baseline: $(cat "$TMP/err")"

# --- runs and report ---------------------------------------------------------------------
[ "$(R runs --json --limit 3)" = 0 ] && python3 - "$TMP/out" <<'PY' && ok || bad "runs --json: $(cat "$TMP/out" "$TMP/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["name"] for r in d] == ["other", "nightly-c", "nightly-b"], d
assert d[1]["passed"] == 0 and d[1]["iterations"] == 2 and d[1]["pass_rate"] == 0.0 and d[1]["mode"] == "host", d[1]
assert d[0]["status"] == "completed" and d[0]["gateway"] == "runner" and d[0]["duration_s"] > 0, d[0]
PY
[ "$(R runs)" = 0 ] && grep -qE "^[0-9a-f]{8}  nightly-a .* completed +host +runner +2/2 +100%" "$TMP/out" && ok ||
  bad "runs table: $(cat "$TMP/out")"
[ "$(R report nightly-b)" = 0 ] && grep -q "benchmark $(q "SELECT id FROM benchmarks WHERE name='nightly-b'") (nightly-b) completed" "$TMP/out" &&
  grep -q "per scenario over 2 iterations" "$TMP/out" && grep -q "0 passed, 2 failed, 0 error(s) of 2" "$TMP/out" &&
  grep -q "  demo-runaway-log #1: checks" "$TMP/out" && ok || bad "report table: $(cat "$TMP/out")"
[ "$(R report "${A:0:8}" -f junit -o "$TMP/a.xml")" = 0 ] && xmllint --noout --schema "$XSD" "$TMP/a.xml" 2>/dev/null &&
  cmp -s <(sed 's/time="[^"]*"//g' "$TMP/a.xml") <(sed 's/time="[^"]*"//g' "$TMP/run.xml") && ok ||
  bad "report -f junit by prefix equals run --junit: $(diff "$TMP/a.xml" "$TMP/run.xml" | head)"
[ "$(R report nightly-b -f junit -o "$TMP/b.xml")" = 0 ] && xmllint --noout --schema "$XSD" "$TMP/b.xml" 2>"$TMP/xmllint" &&
  [ "$(xmllint --xpath 'count(//testcase/failure[@type="rules"])' "$TMP/b.xml")" = 2 ] && ok ||
  bad "failed run's junit: $(cat "$TMP/xmllint" "$TMP/b.xml" | head -30)"
[ "$(R report latest -f json)" = 0 ] && python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['benchmark']['name']=='other'" "$TMP/out" && ok ||
  bad "report latest -f json"
[ "$(R report nightly-b -f markdown)" = 0 ] && grep -q "### Not passed" "$TMP/out" && grep -q "| demo-runaway-log | 2 | ❌ fail |" "$TMP/out" && ok ||
  bad "report markdown: $(cat "$TMP/out")"
[ "$(R report no-such-run)" = 2 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && ok || bad "report of nothing: $(cat "$TMP/err")"
[ "$(R report latest -o "$TMP/t.txt")" = 2 ] && grep -q "^error: -o/--output needs -f json, junit, markdown or html" "$TMP/err" && ok ||
  bad "-o with the table: $(cat "$TMP/err")"
[ "$(R report latest -f pdf)" = 2 ] && grep -q "^error: -f/--format: unknown value 'pdf'" "$TMP/err" && ok || bad "bad format: $(cat "$TMP/err")"
[ "$(R report latest -f json -o /nonexistent/dir/r.json)" = 4 ] && grep -q "cannot create a temporary file in /nonexistent/dir for /nonexistent/dir/r.json" "$TMP/err" && ok ||
  bad "unwritable -o: $(cat "$TMP/err")"

# --- generated names, bad names, flush by name; the CI heartbeat ------------------------------
# Not on a terminal, a job that runs for a while prints heartbeat lines (every second here).
start_engine_sim oracle "$SCEN" 4000
[ "$(RUNNER_HEARTBEAT_S=1 R run --source fs -p "$SCEN" -s $KEY)" = 0 ] &&
  grep -qE "^demo-runaway-log #1: job [^ ]+ (queued|in_progress), [0-9]+ task\(s\), 0m0[0-9]s since the ticket was submitted" "$TMP/out" && ok ||
  bad "heartbeat: $(grep -c since "$TMP/out") line(s); $(tail -5 "$TMP/out")"
G=$(q "SELECT name FROM benchmarks ORDER BY started_at DESC LIMIT 1")
[[ "$G" =~ ^[a-z]+-[a-z]+-[0-9a-f]{4}$ ]] && [ "$(R report "$G" -f json)" = 0 ] && ok || bad "generated name '$G'"
for name in latest beef-cafe "two words"; do
  [ "$(R run --source fs -p "$SCEN" -s $KEY --name "$name")" = 2 ] && grep -q "^error: --name: '$name' " "$TMP/err" && ok ||
    bad "--name '$name': $(cat "$TMP/err")"
done
# history: the key's runs so far are nightly-a ✓, nightly-b ✗, nightly-c ✗, then the passing heartbeat run.
[ "$(R history -s $KEY --json)" = 0 ] && python3 - "$TMP/out" "$G" <<'PY' && ok || bad "history --json: $(cat "$TMP/out" "$TMP/err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert [h["key"] for h in d] == ["demo-runaway-log"], d
h = d[0]
assert [(r["passed"], r["iterations"]) for r in h["runs"]] == [(2, 2), (0, 2), (0, 2), (1, 1)], h["runs"]
assert [r["name"] for r in h["runs"]][:3] == ["nightly-a", "nightly-b", "nightly-c"] and h["runs"][-1]["name"] == sys.argv[2]
assert h["flips"] == 2 and h["last_change"] == h["runs"][3]["benchmark_id"] and abs(h["pass_rate"] - 3 / 7) < 1e-9, h
PY
# The newest two runs: `other` (another scenario) and the heartbeat run.
[ "$(R history -s 'demo-*' --last 2)" = 0 ] && grep -qE "^demo-runaway-log +1 +1/1 \(100%\) +✓ +0 +-" "$TMP/out" &&
  grep -qE "^demo-broken-app-config +1 " "$TMP/out" && ok ||
  bad "history table: $(cat "$TMP/out")"
[ "$(R history -s no-such-scenario)" = 2 ] && grep -q "^error: -s: 'no-such-scenario' matches no scenario of the last 20 run(s)" "$TMP/err" && ok ||
  bad "history of nothing: $(cat "$TMP/err")"
[ "$(R flush --benchmark other --yes)" = 0 ] && [ "$(q "SELECT count(*) FROM benchmarks WHERE name = 'other'")" = 0 ] && ok ||
  bad "flush by name: $(cat "$TMP/out" "$TMP/err")"

# flush --name: every benchmark of each name.
[ "$(R flush --name nightly-b --name nightly-c --yes)" = 0 ] && grep -q "deleted 2 benchmark(s), 4 report(s)" "$TMP/out" &&
  [ "$(q "SELECT count(*) FROM benchmarks WHERE name IN ('nightly-b', 'nightly-c')")" = 0 ] && ok ||
  bad "flush --name: $(cat "$TMP/out" "$TMP/err")"
[ "$(R flush --name no-such-run --yes)" = 2 ] && grep -q "^error: --name: no benchmark is named 'no-such-run'" "$TMP/err" && ok ||
  bad "flush --name of nothing: $(cat "$TMP/err")"
[ "$(R flush --name nightly-a --older-than 1d --yes)" = 2 ] && grep -q "exactly one of --benchmark, --name or --older-than" "$TMP/err" && ok ||
  bad "flush with two selections: $(cat "$TMP/err")"

# A database an older runner migrated (no benchmarks.name, migration 0009 not applied):
# the reading commands say which migrations are missing and how to apply them.
q "ALTER TABLE benchmarks DROP COLUMN name; DELETE FROM schema_migrations WHERE version >= '0009'" >/dev/null
[ "$(R runs)" = 3 ] && grep -q "migration(s) this runner needs but not applied (0009" "$TMP/err" && grep -q '2501-runner db migrate' "$TMP/err" && ok ||
  bad "runs on an old schema: $(cat "$TMP/err")"

finish report_e2e
