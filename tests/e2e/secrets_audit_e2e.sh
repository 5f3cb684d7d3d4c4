#!/usr/bin/env bash
# The secrets audit: four canary secrets full of awkward characters (regex
# metacharacters, backslash, quotes, '@', '%', non-ASCII) — the database password,
# the engine key, the git token and the ServiceNow password — half from an env file,
# half from the process environment. One whole run at -vv with --log-file: ServiceNow
# gateway, scenarios from git over HTTP with basic auth, faults injected by both
# simulators, an engine that echoes the Authorization header into its error bodies.
# Then every place a secret could land is searched for each secret in every form it
# can take (tests/support/secret_forms.py): the console, the log file, the run logs,
# the spool, a dump of every database table, /proc/*/cmdline and /proc/*/environ of
# every child seen during the run, and every file the run left. Zero hits.
# usage: secrets_audit_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
chmod 755 "$TMP"
source "$SRC/tests/e2e/lib.sh"
make_test_database audit_e2e
ROLE="audit_role_$$"
cleanup() {
  stop_sims
  drop_test_database
  psql -q "$ADMIN" -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
FORMS="$SRC/tests/support/secret_forms.py"
IN="$TMP/in"  # what the test hands the runner (it holds the secrets by design): never searched
mkdir -p "$IN" "$TMP/work" "$TMP/state"
cat >"$IN/canaries.json" <<'JSON'
{"secrets": {
  "DB_PASSWORD": "Pg^$.*+?(x)[y]{2}|\\\"'@%41:/ü-Ω-canary-db-7",
  "ENGINE_API_KEY": "Eng\\d+\\\"'@%2F[key]*é-ключ-canary-eng-8",
  "GIT_RUNNER_PAT": "Pat$^|(a+)\\\\\"@%zz-ø-canary-git-9",
  "SERVICENOW_PASSWORD": "Sn[pw](x)*\\\"'@%25-ñ-canary-snow-6"},
 "basic": [["runner", "SERVICENOW_PASSWORD"], ["runner", "GIT_RUNNER_PAT"]]}
JSON
secret() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["secrets"][sys.argv[2]], end="")' "$IN/canaries.json" "$1"; }
DB_PW=$(secret DB_PASSWORD)
ENGINE_KEY=$(secret ENGINE_API_KEY)
PAT=$(secret GIT_RUNNER_PAT)
SNOW_PW=$(secret SERVICENOW_PASSWORD)

# The database: a role whose password is the canary, owning the test database.
printf '%s\n' "CREATE ROLE $ROLE LOGIN PASSWORD :'pw';" "ALTER DATABASE $DB OWNER TO $ROLE;" |
  psql -q "$ADMIN" -v pw="$DB_PW" >/dev/null
psql -q "$URL" -c "ALTER SCHEMA public OWNER TO $ROLE" >/dev/null
HOSTPORT=$(python3 -c 'import sys,urllib.parse as u; print(u.urlsplit(sys.argv[1]).netloc.split("@")[-1])' "$URL")
DB_URL="postgresql://$ROLE:$(python3 -c 'import sys,urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$DB_PW")@$HOSTPORT/$DB"
DATABASE_URL=$DB_URL "$BIN/2501-runner" db migrate >/dev/null || bad "migrate as the canary role failed"
PGPASSWORD=$DB_PW psql -q "postgresql://$ROLE@$HOSTPORT/$DB" -f "$SRC/scripts/demo-seed.sql" >/dev/null ||
  bad "seed as the canary role failed"
isolate_demo_host

# Scenarios from git over HTTP, basic auth with the canary token.
G="git -c user.name=t -c user.email=t@example.invalid -c init.defaultBranch=main"
mkdir -p "$IN/srv" && $G init -q --bare "$IN/srv/scen.git" && $G init -q "$IN/w"
cp -r "$SRC/examples/scenarios" "$IN/w/scenarios"
(cd "$IN/w" && $G add -A && $G commit -qm s && $G push -q "$IN/srv/scen.git" HEAD:main 2>/dev/null)
python3 "$SRC/tests/support/git_http_server.py" "$IN/srv" runner "$PAT" >"$IN/git.port" 2>"$IN/git.err" &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$IN/git.port" ] && break; sleep 0.1; done
GIT_PORT=$(head -1 "$IN/git.port")

# The simulators, with faults; the engine echoes credentials into its error bodies.
SERVICENOW_SIM_PASSWORD=$SNOW_PW "$BIN/2501-servicenow-sim" --listen 127.0.0.1:0 --username runner \
  --fault-429 0.1 --fault-5xx 0.1 --seed 5 >"$IN/snow.out" 2>&1 &
PIDS+=($!)
SNOW_URL=$(wait_listen "$IN/snow.out")
ENGINE_SIM_API_KEY=$ENGINE_KEY ENGINE_SIM_SERVICENOW_PASSWORD=$SNOW_PW ENGINE_SIM_DATABASE_URL=$URL \
  "$BIN/2501-engine-sim" --listen 127.0.0.1:0 --behavior oracle --scenarios-path "$SRC/examples/scenarios" \
  --pickup-delay-ms 100 --job-duration-ms 200 --work-dir "$IN/engine" --servicenow-url "$SNOW_URL" \
  --servicenow-username runner --servicenow-assignment-group grp-2501 --fault-5xx 0.15 --seed 3 \
  --misbehave echo-auth >"$IN/engine.out" 2>&1 &
PIDS+=($!)
ENGINE_URL=$(wait_listen "$IN/engine.out")

# Half the secrets in an env file (double-quoted, escaped), half in the environment.
python3 - "$IN/canaries.json" "$DB_URL" >"$IN/env" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["secrets"]
q = lambda v: '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
print("DATABASE_URL=" + q(sys.argv[2]))
print("GIT_RUNNER_PAT=" + q(s["GIT_RUNNER_PAT"]))
PY
cat >>"$IN/env" <<ENV
ORG_ID=org_demo
TENANT_ID=tnt_demo
USER_ID=usr_demo
ENGINE_API_URL=$ENGINE_URL
SERVICENOW_API_URL=$SNOW_URL
SERVICENOW_USERNAME=runner
SERVICENOW_ASSIGNMENT_GROUP_ID=grp-2501
SERVICENOW_CALLER_ID=caller-2501
GIT_RUNNER_REPOSITORY=http://127.0.0.1:$GIT_PORT/scen.git
GIT_RUNNER_USERNAME=runner
ENV

# The run, watched.
cd "$TMP/work"
touch "$IN/marker"
sleep 1  # files of the run are newer than the marker by whole seconds on any file system
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
# The CI outputs (--junit, --json, the step summary) are files the run leaves: searched too.
GITHUB_STEP_SUMMARY="$TMP/work/step.md" ENGINE_API_KEY=$ENGINE_KEY SERVICENOW_PASSWORD=$SNOW_PW "$BIN/2501-runner" run -vv \
  -g servicenow --source git --junit "$TMP/work/run.xml" --json "$TMP/work/run.json" \
  --env-file "$IN/env" --log-file "$TMP/work/run.log" -s demo-broken-app-config,demo-runaway-log,demo-disabled-backup-job \
  >"$TMP/work/console.out" 2>"$TMP/work/console.err" &
RUN_PID=$!
python3 "$FORMS" watch "$RUN_PID" "$IN/canaries.json" "$IN/watch.json" &
WATCH_PID=$!
# The runner's own environment, once its configuration is read (the secrets the test
# put there are gone from it, /proc/<pid>/environ included).
for _ in $(seq 600); do cat "$TMP/work/console.out" "$TMP/work/console.err" | grep -q 'benchmark .* started' && break; sleep 0.1; done
cat "/proc/$RUN_PID/environ" >"$IN/runner.environ" 2>/dev/null
wait "$RUN_PID"
rc=$?
wait "$WATCH_PID"

# The run really did what the audit is about.
[ "$rc" = 0 ] && ok || bad "audit run: exit $rc: $(tail -15 "$TMP/work/console.out") $(tail -5 "$TMP/work/console.err")"
[ -s "$TMP/work/run.xml" ] && [ -s "$TMP/work/run.json" ] && [ -s "$TMP/work/step.md" ] && ok || bad "the CI outputs were written"
[ "$(q "SELECT count(*) FROM scenario_reports WHERE status = 'passed' AND gateway = 'servicenow'")" = 3 ] && ok ||
  bad "audit rows: $(q "SELECT scenario_key, status, error_message FROM scenario_reports")"
python3 -c 'import json,sys; seen=json.load(open(sys.argv[1]))["seen"]; sys.exit(0 if any("ansible-playbook" in s for s in seen) else 1)' \
  "$IN/watch.json" && ok || bad "the watcher saw no ansible-playbook child: $(cat "$IN/watch.json")"
[ -s "$IN/runner.environ" ] && ok || bad "the runner's environment was not read"
faults=$(curl -s "$ENGINE_URL/_sim/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("faults.5xx", 0))')
[ "$faults" -gt 0 ] && ok || bad "the engine injected no fault (its echoed bodies untested)"
grep -q 'debug' "$TMP/work/run.log" && ok || bad "the log file is not at -vv"

# Zero hits anywhere.
hits=$(python3 -c 'import json,sys; print("\n".join(" ".join(h) for h in json.load(open(sys.argv[1]))["hits"]))' "$IN/watch.json")
[ -z "$hits" ] && ok || bad "secrets in child processes: $hits"
pg_dump --no-owner --data-only "$URL" >"$IN/dump.sql" 2>"$IN/dump.err" && [ -s "$IN/dump.sql" ] && ok || bad "pg_dump failed: $(cat "$IN/dump.err")"
for where in "$TMP/work" "$TMP/state" "$IN/dump.sql" "$IN/runner.environ"; do
  out=$(python3 "$FORMS" scan "$IN/canaries.json" "$where") && ok || bad "secrets in $where: $out"
done
# Every file the run left outside its folders: /tmp, /var/tmp and the home folder.
mapfile -t left < <(find /tmp /var/tmp "$HOME" -xdev -type f -newer "$IN/marker" -size -50M 2>/dev/null |
  grep -v -e "^$IN/" -e "^$TMP/")
out=$(python3 "$FORMS" scan "$IN/canaries.json" "${left[@]}" /dev/null) && ok || bad "secrets in files the run left: $out"

finish secrets_audit_e2e
