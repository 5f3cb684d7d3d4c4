#!/usr/bin/env bash
# The HTML report in a real browser: a host-mode benchmark with passed, failed and
# errored iterations (real PostgreSQL, real ansible-playbook, the engine simulator),
# a capacity record, then `report -f html` loaded from disk by headless Chromium:
#  - the script ran to the end and logged nothing to the console;
#  - the DOM has a grid cell and a details block per iteration with the stored
#    verdicts, one timeline bar per stored phase, the RAM chart's points;
#  - nothing is fetched (no src, no stylesheet link, only in-page anchors);
#  - opening the page at #it-N opens that iteration;
#  - a screenshot is kept in BUILD/test-artifacts/html-report.png.
# usage: html_report_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL, chromium)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
ART="$(dirname "$BIN")/test-artifacts"
mkdir -p "$ART"
source "$SRC/tests/e2e/lib.sh"
begin_host_mode_test html_e2e
command -v chromium >/dev/null || { echo "FAIL: chromium is not installed (scripts/packages.txt)"; exit 1; }

# Scenarios: one the oracle solves, one with a rule nothing satisfies (failed), one
# whose prepare.yml fails (error).
SCEN="$TMP/scenarios"
mkdir -p "$SCEN"
cp -r "$SRC/examples/scenarios/disk/010-runaway-log" "$SCEN/pass"
cp -r "$SRC/examples/scenarios/disk/010-runaway-log" "$SCEN/fail"
cp -r "$SRC/examples/scenarios/disk/010-runaway-log" "$SCEN/error"
python3 - "$SCEN" <<'PY'
import json, sys
root = sys.argv[1]
def edit(name, key, change):
    p = f"{root}/{name}/scenario.json"
    s = json.load(open(p))
    s["key"] = key
    change(s)
    json.dump(s, open(p, "w"), indent=2)
edit("fail", "html-fails", lambda s: s["validation"]["job"].append(
    {"label": "Resolution <b>never</b> matches", "validator": "job_resolution_status", "pattern": "^never$"}))
edit("error", "html-errors", lambda s: None)
PY
cat >"$SCEN/error/prepare.yml" <<'YML'
- name: A prepare that fails
  hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.fail:
        msg: "prepare broke </pre><script>alert(1)</script>"
YML
start_engine_sim oracle "$SCEN"
"$BIN/2501-runner" run --source fs -p "$SCEN" -s demo-runaway-log,html-fails,html-errors -i 2 --name html-e2e \
  --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" = 4 ] && ok || bad "the run: exit $rc (want 4: iterations ended in error) $(tail -n 5 "$TMP/out" "$TMP/err")"
B=$(q "SELECT id FROM benchmarks WHERE name = 'html-e2e'")
[ "$(q "SELECT string_agg(status, ',' ORDER BY scenario_key, iteration) FROM scenario_reports WHERE benchmark_id = '$B'")" = \
  "passed,passed,error,error,failed,failed" ] && ok || bad "verdicts: $(q "SELECT scenario_key, iteration, status, error_kind FROM scenario_reports")"
# A VM run's capacity record, as the RAM broker writes it (host mode has none).
q "UPDATE benchmarks SET capacity = '{\"budget_mib\": 4096, \"peak_mib\": 3072, \"peak_clones\": 3, \"timeline\": [[0.5, 1, 1024], [2.0, 3, 3072], [9.5, 0, 0]]}' WHERE id = '$B'" >/dev/null

"$BIN/2501-runner" report html-e2e -f html -o "$TMP/report.html" --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err" && ok ||
  bad "report -f html: $(cat "$TMP/err")"
"$BIN/2501-runner" report html-e2e -f json --env-file "$TMP/env" >"$TMP/report.json" 2>"$TMP/err" || bad "report -f json: $(cat "$TMP/err")"
python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['benchmark']['capacity']['peak_clones'] == 3" "$TMP/report.json" &&
  ok || bad "the JSON report carries the capacity record"

# Headless Chromium: its own profile, no sandbox (tests run as root), console to stderr.
browse() {  # browse OUT ERR URL [flags...]
  local out=$1 err=$2 url=$3
  shift 3
  timeout 120 chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$TMP/chrome" --enable-logging=stderr \
    --v=0 --no-first-run "$@" "$url" >"$out" 2>"$err"
}
browse "$TMP/dom.html" "$TMP/chrome.err" "file://$TMP/report.html" --dump-dom && ok || bad "chromium --dump-dom: $(tail -5 "$TMP/chrome.err")"
grep -q 'CONSOLE' "$TMP/chrome.err" && bad "console messages: $(grep CONSOLE "$TMP/chrome.err")" || ok
python3 - "$TMP/dom.html" "$TMP/report.json" <<'PY' && ok || bad "the DOM"
import json, sys
from html.parser import HTMLParser
class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.text = []
    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
    def handle_data(self, data):
        self.text.append(data)
d = Dom()
d.feed(open(sys.argv[1], encoding="utf-8").read())
report = json.load(open(sys.argv[2]))
its = report["iterations"]
def all_of(tag, cls=None):
    return [a for t, a in d.tags if t == tag and (cls is None or cls in a.get("class", "").split())]
body = all_of("body")[0]
assert body.get("data-ready") == "1", body  # the script ran to its end
cells = all_of("td", "cell")
assert [c["data-status"] for c in cells] == [i["status"] for i in its], (cells, [i["status"] for i in its])
details = all_of("details", "iteration")
assert [x["data-status"] for x in details] == [i["status"] for i in its], details
bars = all_of("rect", "phase")
assert len(bars) == sum(len(i["phases"]) for i in its) and bars, (len(bars), [i["phases"] for i in its])
# In the order they ran: the lifecycle's (jsonb keeps no key order).
order = ["provision", "prepare", "flush", "execute", "validate", "restore", "teardown"]
assert [b["data-phase"] for b in bars] == [p for i in its for p in sorted(i["phases"], key=order.index)], bars
assert len(all_of("g", "row")) == len(its)
# the failed prepare is outlined
assert any("bad" in b["class"].split() and b["data-phase"] == "prepare" for b in bars), bars
cap = all_of("svg", "capacity")
assert len(cap) == 1 and cap[0]["data-points"] == "3", cap
assert len(all_of("line", "budget")) == 1
# Offline: nothing to fetch.
assert not any("src" in a for _, a in d.tags), [a for _, a in d.tags if "src" in a]
assert not all_of("link")
assert all(a["href"].startswith("#") for t, a in d.tags if t == "a" and "href" in a)
# Only our own script: the prepare's hostile message is text.
assert len(all_of("script")) == 1
assert not all_of("img")
# ... and it reached the page as text, in the failed prepare's log tail.
assert "prepare broke </pre><script>alert(1)</script>" in "".join(d.text), "the prepare's message is not on the page"
PY
# Clicks, in the browser: a copy of the page with a harness that records script
# errors (first) and clicks a failed cell, a timeline row and the "errors" filter
# (last); the page's own script is unchanged.
python3 - "$TMP/report.html" "$TMP/click.html" <<'PY'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
catch = ('<script>window.addEventListener("error", function (e) { var h = document.documentElement;'
         ' h.setAttribute("data-errors", (h.getAttribute("data-errors") || "") + e.message + ";"); });</script>')
clicks = """<script>
(function () {
  var out = [];
  var a = document.querySelector('td.cell[data-status="failed"] a.cell');
  a.click();
  var id = a.getAttribute("href").slice(1);
  out.push("cell:" + id + ":" + document.getElementById(id).open);
  var row = document.querySelectorAll("svg.timeline g.row")[3];
  row.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  var rid = "it-" + row.getAttribute("data-iteration");
  out.push("row:" + rid + ":" + document.getElementById(rid).open);
  document.querySelector('button[data-show="error"]').click();
  var shown = Array.prototype.filter.call(document.querySelectorAll("details.iteration"), function (d) { return !d.hidden; });
  out.push("filter:" + shown.map(function (d) { return d.getAttribute("data-status"); }).join(","));
  document.body.setAttribute("data-clicks", out.join("|"));
})();
</script>"""
page = page.replace("<head>", "<head>" + catch, 1).replace("</body>", clicks + "</body>", 1)
open(sys.argv[2], "w", encoding="utf-8").write(page)
PY
browse "$TMP/dom3.html" "$TMP/chrome3.err" "file://$TMP/click.html" --dump-dom
python3 - "$TMP/dom3.html" <<'PY' && ok || bad "clicks in the browser: $(grep -o 'data-clicks="[^"]*"\|data-errors="[^"]*"' "$TMP/dom3.html")"
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
assert not re.search(r'<html[^>]*data-errors=', dom), re.findall(r'data-errors="[^"]*"', dom)
clicks = re.search(r'data-clicks="([^"]*)"', dom).group(1).split("|")
# Reports are by key: demo-runaway-log #1 #2, html-errors #1 #2, html-fails #1 #2.
assert clicks[0] == "cell:it-4:true", clicks   # the first failed cell opens html-fails #1
assert clicks[1] == "row:it-3:true", clicks    # the fourth timeline row opens html-errors #2
assert clicks[2] == "filter:error,error", clicks
PY
# Opening the page at an iteration's anchor opens it.
browse "$TMP/dom2.html" "$TMP/chrome2.err" "file://$TMP/report.html#it-2" --dump-dom
python3 - "$TMP/dom2.html" <<'PY' && ok || bad "#it-2 does not open the third iteration"
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
tags = re.findall(r'<details class="iteration"[^>]*>', dom)
assert len(tags) == 6 and " open" in tags[2] and not any(" open" in t for i, t in enumerate(tags) if i != 2), tags
PY
# The screenshot, kept as a test artefact.
rm -f "$ART/html-report.png"
browse "$TMP/shot.out" "$TMP/shot.err" "file://$TMP/report.html" --screenshot="$ART/html-report.png" --window-size=1400,2200 \
  --hide-scrollbars
[ "$(stat -c %s "$ART/html-report.png" 2>/dev/null || echo 0)" -gt 20000 ] &&
  [ "$(head -c 8 "$ART/html-report.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && ok ||
  bad "screenshot: $(ls -l "$ART" 2>&1) $(tail -3 "$TMP/shot.err")"

# Usage: -o needs a format that makes a file; html is one.
"$BIN/2501-runner" report html-e2e -f htm --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err"
[ $? = 2 ] && grep -q "html" "$TMP/err" && ok || bad "a bad format names the formats: $(cat "$TMP/err")"
finish html_report_e2e
