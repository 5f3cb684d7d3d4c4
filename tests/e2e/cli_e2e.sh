#!/usr/bin/env bash
# End-to-end checks of the real 2501-runner binary: exit codes, one-line usage
# errors, list output, env-file errors, secret redaction at -vv (console and
# --log-file), colour rules, and the git source through the command line.
# usage: cli_e2e.sh path/to/2501-runner source-dir
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
source "$SRC/tests/e2e/lib.sh"
# Keep the host's env files out of the way.
cd "$TMP"
export XDG_CACHE_HOME="$TMP/cache"

# expect CODE LINES_ON_STDERR_OR_- GREP_STDERR_OR_- -- ARGS...
expect() {
  local code=$1 lines=$2 pattern=$3
  shift 4
  "$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
  local rc=$?
  [ "$rc" -eq "$code" ] || { bad "$*: exit $rc, expected $code; stderr: $(cat "$TMP/err")"; return; }
  if [ "$lines" != "-" ]; then
    local n
    n=$(wc -l <"$TMP/err")
    [ "$n" -eq "$lines" ] || { bad "$*: $n stderr lines, expected $lines: $(cat "$TMP/err")"; return; }
  fi
  if [ "$pattern" != "-" ]; then
    grep -qE -- "$pattern" "$TMP/err" || { bad "$*: stderr lacks /$pattern/: $(cat "$TMP/err")"; return; }
  fi
  ok
}

# Usage errors: one line naming the option, exit 2.
expect 2 1 '^error: -s/--scenarios is required' -- run
expect 2 1 "^error: -m/--mode: unknown value 'vm'" -- run -s x -m vm
expect 2 1 "^error: --source: unknown value 'ftp'" -- run -s x --source ftp
expect 2 1 "^error: -g/--gateway: unknown value 'mail'" -- start -s x -g mail
# sandbox without git settings: the default source says how to use a folder instead.
DATABASE_URL=postgresql://runner@127.0.0.1:1/none ORG_ID=org_demo GIT_RUNNER_REPOSITORY= \
  expect 3 1 "needs GIT_RUNNER_REPOSITORY[^;]*; to use a scenarios folder instead, pass --source fs -p PATH" -- sandbox prepare -s demo
# list and validate say the same, with the same exit code.
for cmd in list validate; do
  GIT_RUNNER_REPOSITORY= expect 3 1 "^error: --source git \(the default\) needs GIT_RUNNER_REPOSITORY, GIT_RUNNER_PAT; to use a scenarios folder" -- $cmd
done
expect 2 1 "^error: -i/--iter: '-3' is not an integer >= 1" -- run -s x -i -3
expect 2 1 '^error: --parallel requires -m incus or -m lima' -- run -s x --parallel
expect 2 1 '^error: --parallel-ram-cap requires --parallel' -- run -s x -m incus --parallel-ram-cap 2
expect 2 1 "^error: --parallel-ram-cap: 'x' is not a positive number of GB" -- run -s x -m incus --parallel --parallel-ram-cap x
expect 2 1 'error: .*--bogus' -- run -s x --bogus
expect 0 0 - -- --version
grep -qE '^2501-runner [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]+' "$TMP/out" && ok || bad "--version output: $(cat "$TMP/out")"
expect 0 0 - -- run --help
grep -q -- '--parallel-ram-cap' "$TMP/out" && ok || bad "run --help lacks options"

# list over the shipped examples.
expect 0 0 - -- list --source fs -p "$SRC/examples/scenarios"
grep -q 'demo-broken-app-config' "$TMP/out" && ok || bad "list table lacks the example"
expect 0 0 - -- list --source fs -p "$SRC/examples/scenarios" -s smoke --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [s["key"] for s in d]==["demo-broken-app-config","demo-stopped-web-service"], d; assert d[0]["playbooks"]=={"prepare":True,"restore":True,"validate":True}; assert d[0]["dir"]=="config/001-broken-app-config"' "$TMP/out" && ok || bad "list --json shape"
expect 2 1 "^error: -s: 'smok' matches no scenario key or tag \(did you mean 'smoke'\?\)" -- list --source fs -p "$SRC/examples/scenarios" -s smok

# A broken scenario: reported with file and JSON path; selecting it exits 2, others still list.
mkdir -p "$TMP/scen/good" "$TMP/scen/bad"
cp "$SRC/examples/scenarios/config/001-broken-app-config/scenario.json" "$TMP/scen/good/"
cat >"$TMP/scen/bad/scenario.json" <<'JSON'
{"key":"bad-one","title":"t","description":"d","ticket_title":"tt","ticket_body":"b","tags":["bad"],
 "validation":{"tasks":[{"label":"l","validator":"pattern_match","where":"executed_commands","pattern":"(unclosed"}]}}
JSON
expect 0 1 "^error: $TMP/scen/bad/scenario.json: validation.tasks\[0\].pattern: invalid regex: " -- list --source fs -p "$TMP/scen" -s demo
expect 2 - "selects scenario 'bad-one'" -- list --source fs -p "$TMP/scen" -s bad

# Env files: a malformed line names file:line (exit 2).
printf 'ORG_ID=1\nthis is wrong\n' >"$TMP/broken.env"
expect 2 1 "^error: $TMP/broken.env:2: expected KEY=VALUE" -- run --check --source fs -p "$SRC/examples/scenarios" --env-file "$TMP/broken.env"

# Missing variables: every one named in one pre-flight failure, exit 3.
printf 'ORG_ID=1\n' >"$TMP/partial.env"
expect 3 1 'missing DATABASE_URL, TENANT_ID, USER_ID, ENGINE_API_URL, ENGINE_API_KEY' -- run --check --source fs -p "$SRC/examples/scenarios" --env-file "$TMP/partial.env"

# Redaction at -vv: no secret on stdout, stderr or in the log file.
cat >"$TMP/full.env" <<'ENV'
DATABASE_URL=postgresql://runner:db-pass-XYZ@127.0.0.1:5432/runner
ORG_ID=org_demo
TENANT_ID=tnt_demo
USER_ID=usr_demo
ENGINE_API_URL=http://127.0.0.1:9
ENGINE_API_KEY="engine-key-XYZ"
GIT_RUNNER_PAT=ghp-pat-XYZ
ENV
"$BIN" run --check -vv --source fs -p "$SRC/examples/scenarios" --env-file "$TMP/full.env" --log-file "$TMP/run.log" >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/out" "$TMP/err" "$TMP/run.log" >"$TMP/all"
if grep -qE 'db-pass-XYZ|engine-key-XYZ|ghp-pat-XYZ' "$TMP/all"; then bad "a secret leaked at -vv"; else ok; fi
grep -q 'ENGINE_API_KEY=\*\*\*' "$TMP/all" && grep -q 'postgresql://runner:\*\*\*@' "$TMP/all" && ok || bad "-vv did not show the masked config: $(cat "$TMP/err")"
grep -q 'configuration: env file' "$TMP/run.log" && ok || bad "log file does not mirror the console (rc=$rc)"
if grep -q $'\x1b' "$TMP/all"; then bad "ANSI codes without a TTY"; else ok; fi

# A --log-file that cannot be written is an error at start, not after the run.
expect 2 1 "--log-file: '$TMP' is a folder" -- list --source fs -p "$TMP/scen" --log-file "$TMP"
expect 2 1 "--log-file: cannot write to '/dev/full'" -- list --source fs -p "$TMP/scen" --log-file /dev/full
# An env file that is a folder is named as one; a weak secret fails pre-flight.
expect 2 1 "is a folder, not an env file" -- run --check --source fs -p "$TMP/scen" -s demo --env-file "$TMP"
sed 's/^ENGINE_API_KEY=.*/ENGINE_API_KEY=demo/' "$TMP/full.env" >"$TMP/weak.env"
"$BIN" run --check --source fs -p "$SRC/examples/scenarios" -s demo --env-file "$TMP/weak.env" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ "$rc" = 3 ] && grep -q 'too weak to keep out of logs, use a real secret: ENGINE_API_KEY (a common word)' "$TMP/out" "$TMP/err" && ok || bad "weak secret: exit $rc $(cat "$TMP/out" "$TMP/err")"

# Colour only on a TTY, never with NO_COLOR or TERM=dumb; --color decides when given.
if command -v script >/dev/null; then
  TERM=xterm script -qec "$BIN list --source fs -p $TMP/scen -s demo" /dev/null </dev/null >"$TMP/tty" 2>&1
  grep -q $'\x1b\[' "$TMP/tty" && ok || bad "no colour on a TTY"
  TERM=xterm NO_COLOR=1 script -qec "$BIN list --source fs -p $TMP/scen -s demo" /dev/null </dev/null >"$TMP/tty" 2>&1
  if grep -q $'\x1b\[' "$TMP/tty"; then bad "colour despite NO_COLOR"; else ok; fi
  TERM=dumb script -qec "$BIN list --source fs -p $TMP/scen -s demo" /dev/null </dev/null >"$TMP/tty" 2>&1
  if grep -q $'\x1b\[' "$TMP/tty"; then bad "colour despite TERM=dumb"; else ok; fi
  TERM=xterm script -qec "$BIN list --source fs -p $TMP/scen -s demo --color never" /dev/null </dev/null >"$TMP/tty" 2>&1
  if grep -q $'\x1b\[' "$TMP/tty"; then bad "colour despite --color never"; else ok; fi
fi
"$BIN" list --source fs -p "$TMP/scen" -s demo --color always >/dev/null 2>"$TMP/err"
grep -q $'\x1b\[' "$TMP/err" && ok || bad "--color always gives no colour in a pipe: $(cat "$TMP/err")"
expect 2 1 "^error: --color: " -- list --color purple
# run -q: no progress lines on the console (the log file keeps them); errors still show.
"$BIN" run --check -q --source fs -p "$SRC/examples/scenarios" --env-file "$TMP/full.env" --log-file "$TMP/quiet.log" \
  >"$TMP/out" 2>"$TMP/err"
[ ! -s "$TMP/out" ] && grep -q "^error: " "$TMP/err" && grep -q "configuration: env file" "$TMP/quiet.log" && ok ||
  bad "run -q: $(cat "$TMP/out" "$TMP/err")"
expect 2 1 "^error: The following argument was not expected: -q" -- list -q

# The command line as people expect it: typos, help, -V.
expect 2 1 "^error: unknown command 'runn' \(did you mean 'run'\?\)" -- runn -s x
expect 2 1 "^error: unknown command 'reprot' \(did you mean 'report'\?\)" -- reprot latest
expect 2 1 "^error: unknown command 'zzzzzz'; 2501-runner --help lists the commands" -- zzzzzz
expect 0 0 - -- help run
grep -q -- "--baseline" "$TMP/out" && ok || bad "help run: $(head -5 "$TMP/out")"
expect 0 0 - -- help sandbox prepare
grep -q -- "--scenarios" "$TMP/out" && ok || bad "help sandbox prepare"
expect 2 1 "^error: help: no command 'nope'" -- help nope
expect 0 0 - -- -V
grep -qE "^2501-runner [0-9]" "$TMP/out" && ok || bad "-V: $(cat "$TMP/out")"
expect 0 0 - -- --help
grep -q "^Exit codes: " "$TMP/out" && grep -q "^Examples:" "$TMP/out" && grep -q "GITHUB_STEP_SUMMARY" "$TMP/out" && ok ||
  bad "--help footer: $(tail -5 "$TMP/out")"
for sim in 2501-engine-sim 2501-servicenow-sim; do
  "$(dirname "$BIN")/$sim" --version >"$TMP/out" 2>&1 && grep -qE "^$sim [0-9]" "$TMP/out" && ok || bad "$sim --version: $(cat "$TMP/out")"
done

# The git source through the command line: file:// and HTTP basic auth.
G="git -c user.name=t -c user.email=t@example.invalid -c init.defaultBranch=main"
mkdir -p "$TMP/srv" && $G init -q --bare "$TMP/srv/scen.git" && $G init -q "$TMP/w"
cp -r "$SRC/examples/scenarios" "$TMP/w/scenarios"
(cd "$TMP/w" && $G add -A && $G commit -qm s && $G push -q "$TMP/srv/scen.git" HEAD:main 2>/dev/null)
GIT_RUNNER_REPOSITORY="file://$TMP/srv/scen.git" expect 0 0 - -- list -s demo --json
grep -q demo-runaway-log "$TMP/out" && ok || bad "git list lacks scenarios"
GIT_RUNNER_REPOSITORY="file://$TMP/srv/scen.git" GIT_REF=nope expect 3 1 "branch 'nope' not found" -- list
python3 "$SRC/tests/support/git_http_server.py" "$TMP/srv" runner right-pat-XYZ >"$TMP/port" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$TMP/port" ] && break; sleep 0.1; done
PORT=$(head -1 "$TMP/port")
GIT_RUNNER_REPOSITORY="http://127.0.0.1:$PORT/scen.git" GIT_RUNNER_PAT=right-pat-XYZ GIT_RUNNER_USERNAME=runner expect 0 0 - -- list -s demo
GIT_RUNNER_REPOSITORY="http://127.0.0.1:$PORT/scen.git" GIT_RUNNER_PAT=wrong-pat-XYZ GIT_RUNNER_USERNAME=runner expect 3 1 'authentication to .* failed' -- list -s demo
if grep -rq 'right-pat-XYZ' "$TMP/cache" "$TMP/err" "$TMP/out"; then bad "PAT written to disk or printed"; else ok; fi

finish cli_e2e
