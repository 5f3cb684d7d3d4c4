#!/usr/bin/env bash
# Progress a person follows on a terminal, checked on a real pseudo-terminal replayed
# by a terminal emulator (tests/support/pty_screen.py, python3-pyte), with real
# PostgreSQL, real ansible-playbook and the engine simulator:
#  - the bar shows done/total, the verdicts so far, the elapsed time and an ETA from
#    the medians of an earlier run; a line per running iteration names its phase;
#  - no line the runner draws is wider than the terminal;
#  - the block is gone when the run ends, and every log line printed while it was
#    shown is intact on the final screen;
#  - not on a terminal (a CI log) none of it appears.
# usage: progress_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL, python3-pyte)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
begin_host_mode_test progress_e2e
SCEN="$SRC/examples/scenarios"
KEY=demo-runaway-log
# Jobs of 4 s: the execute phase spans several redraws.
start_engine_sim oracle "$SCEN" 4000

# 1. Not on a terminal: an earlier run (its duration is the ETA's median), no bar.
"$BIN/2501-runner" run --source fs -p "$SCEN" -s $KEY --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" = 0 ] && ok || bad "the first run: exit $rc $(tail -n 5 "$TMP/err")"
grep -qaP 'ETA|\x1b\[' "$TMP/out" "$TMP/err" && bad "progress drawn into a file: $(grep -aP 'ETA|\x1b\[' "$TMP/out" | head -3)" || ok

# 2. On a 100-column terminal.
/usr/bin/python3 "$SRC/tests/support/pty_screen.py" 100 120 "$TMP/screen.json" -- \
  "$BIN/2501-runner" run --source fs -p "$SCEN" -s $KEY -i 2 --env-file "$TMP/env"
rc=$?
[ "$rc" = 0 ] && ok || bad "the terminal run: exit $rc $(head -c 3000 "$TMP/screen.json")"
/usr/bin/python3 - "$TMP/screen.json" <<'PY' && ok || bad "the progress display: $(head -c 6000 "$TMP/screen.json")"
import json, re, sys
s = json.load(open(sys.argv[1]))
seen, final = s["seen"], s["final"]
bar = re.compile(r"^\[[= >]{20}\] (\d+)/2 +\d+% \| passed (\d+) failed 0 errors 0 \| \S+ elapsed( \| ETA (\S+))?")
bars = [m for m in map(bar.match, seen) if m]
assert bars, "no bar line was shown"
assert {m.group(1) for m in bars} >= {"0", "1"}, [m.group(0) for m in bars]
# An ETA from the first run's median (not '?') before anything finished in this run.
assert any(m.group(1) == "0" and m.group(4) and re.fullmatch(r"\d+(s|m\d\ds)", m.group(4)) for m in bars), [m.group(0) for m in bars]
# A line per running iteration with its phase and elapsed time.
running = [l for l in seen if re.fullmatch(r"  demo-runaway-log #[12]  (execute|prepare|validate|restore|flush|provision|starting|[a-z]+ done)  \d+s", l)]
assert any(" execute " in l for l in running), running
# What the runner draws is narrower than the terminal (log lines may wrap; they scroll).
drawn = [g for g in s["segments"] if g.startswith(("[=", "[>", "  demo-runaway-log #"))]
assert drawn and max(map(len, drawn)) < 100, max(drawn, key=len)
# The end: no bar, no running line; log lines whole (nothing drawn over them).
assert not any(bar.match(l) or l.startswith("  demo-runaway-log #") for l in final), final
for it in (1, 2):
    for phase in ("prepare", "execute", "validate", "restore"):
        assert any(re.fullmatch(rf"demo-runaway-log #{it}: {phase} (ok|passed) \(\d+\.\d s\).*", l) for l in final), (it, phase, final)
PY
finish progress_e2e
