#!/usr/bin/env bash
# The ServiceNow simulator speaks the Table API as an instance does, proven with a
# client written by others (servicenow-rest-api from npm, tests/e2e/servicenow_client.js):
#  1. the third-party client probes the credentials, creates an incident, queries it by
#     number on v2 with display values, resolves it by writing labels and reads back
#     the state label and close notes;
#  2. the Table API by hand: v1 and v2 paths, paging headers, display values (true,
#     all), reference links, the query language, PUT/PATCH/DELETE, error shapes;
#  3. the runner against an instance that answers display values and pages by one
#     record: the run passes, and every journal entry is read;
#  4. pre-flight probes the credentials through sys_user and names the user that a
#     locked-out or inactive account makes the instance refuse.
# usage: servicenow_api_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL, npm)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
make_test_database snow_api_e2e
cleanup() { stop_sims; drop_test_database; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
seed_test_database
isolate_demo_host

# The third-party client from npm, pinned with its dependencies by the committed
# lockfile (tests/e2e/npm), installed once per build folder without install scripts.
NPM_DIR="$BIN/../npm-servicenow-client"
if ! cmp -s "$SRC/tests/e2e/npm/package-lock.json" "$NPM_DIR/package-lock.json" ||
  [ ! -f "$NPM_DIR/node_modules/servicenow-rest-api/servicenow.js" ]; then
  rm -rf "$NPM_DIR" && mkdir -p "$NPM_DIR" && cp "$SRC/tests/e2e/npm/package.json" "$SRC/tests/e2e/npm/package-lock.json" "$NPM_DIR/"
  (cd "$NPM_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >"$TMP/npm.log" 2>&1 ||
    bad "npm ci (servicenow-rest-api): $(tail -5 "$TMP/npm.log")"
fi

start_snow() {  # start_snow [servicenow-sim flags...]
  SERVICENOW_SIM_PASSWORD=snow-pw-XYZ "$BIN/2501-servicenow-sim" --listen 127.0.0.1:0 --username runner "$@" >"$TMP/snow.out" 2>&1 &
  PIDS+=($!)
  SNOW_URL=$(wait_listen "$TMP/snow.out")
}
# api METHOD PATH [BODY]: the answer's body in $TMP/body, headers in $TMP/headers; prints the status.
api() {
  curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' -u "${SNOW_AUTH:-runner:snow-pw-XYZ}" -X "$1" \
    -H 'Accept: application/json' -H 'Content-Type: application/json' ${3:+--data "$3"} "$SNOW_URL$2"
}
# js EXPR: EXPR over the body `d`; a tuple prints as its repr, one value as itself.
js() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); r=($1); print(repr(r) if isinstance(r, tuple) else r)"; }
header() { tr -d '\r' <"$TMP/headers" | sed -n "s/^$1: //Ip"; }

# 1. The third-party client.
start_snow
SNOW_CLIENT_PASSWORD=snow-pw-XYZ NODE_PATH="$NPM_DIR/node_modules" node "$SRC/tests/e2e/servicenow_client.js" \
  "${SNOW_URL#http://}" runner >"$TMP/client.out" 2>&1
rc=$?
for step in probe probe-wrong-password create query resolve read-back; do
  grep -qE "^ok $step( |\$)" "$TMP/client.out" && ok || bad "third-party client, step $step (exit $rc): $(grep -v '^http' "$TMP/client.out" | tail -5)"
done
INC=$(sed -n 's/^ok read-back //p' "$TMP/client.out")
# What the client wrote as labels is stored as values.
[ "$(api GET "/api/now/table/incident?sysparm_query=number=$INC&sysparm_fields=state,urgency,impact")" = 200 ] &&
  [ "$(js "d['result'][0]['state'], d['result'][0]['urgency'], d['result'][0]['impact']")" = "('6', '1', '2')" ] && ok ||
  bad "labels not stored as values: $(cat "$TMP/body")"
if grep -q 'snow-pw-XYZ' "$TMP/client.out"; then bad "the client's output holds the password"; else ok; fi

# 2. The Table API by hand.
# A name=value parameter filters, as the client's credential probe relies on.
[ "$(api GET "/api/now/v2/table/sys_user?user_name=runner")" = 200 ] && [ "$(header X-Total-Count)" = 1 ] &&
  [ "$(js "d['result'][0]['user_name'], 'user_password' in d['result'][0]")" = "('runner', False)" ] && ok ||
  bad "sys_user: $(cat "$TMP/body")"
RUNNER_ID=$(js "d['result'][0]['sys_id']")
[ "$(api GET "/api/now/v2/table/sys_user?user_name=nobody")" = 200 ] && [ "$(js "len(d['result'])")" = 0 ] && ok ||
  bad "sys_user filter for nobody: $(cat "$TMP/body")"
for i in 1 2 3; do api POST /api/now/table/incident "{\"short_description\": \"disk $i\", \"caller_id\": \"$RUNNER_ID\"}" >/dev/null; done
[ "$(api GET "/api/now/v2/table/incident?sysparm_query=short_descriptionLIKEDISK%5EORDERBYDESCnumber&sysparm_limit=2&sysparm_fields=number,short_description")" = 200 ] &&
  [ "$(header X-Total-Count)" = 4 ] && [ "$(js "len(d['result'])")" = 2 ] && [ "$(js "d['result'][0]['short_description']")" = "disk 3" ] &&
  header Link | grep -q 'sysparm_offset=2>;rel="next"' && header Link | grep -q 'sysparm_offset=2>;rel="last"' && ok ||
  bad "paging: $(cat "$TMP/headers" "$TMP/body")"
[ "$(api GET "/api/now/table/incident?sysparm_query=short_descriptionLIKEdisk%5EORDERBYDESCnumber&sysparm_limit=2&sysparm_offset=2&sysparm_fields=number")" = 200 ] &&
  [ "$(js "len(d['result'])")" = 2 ] && header Link | grep -q 'sysparm_offset=0>;rel="prev"' && ! header Link | grep -q 'rel="next"' && ok ||
  bad "second page: $(cat "$TMP/headers" "$TMP/body")"
[ "$(api GET "/api/now/table/incident?sysparm_query=short_description=disk%201&sysparm_display_value=all&sysparm_fields=state,caller_id")" = 200 ] &&
  [ "$(js "d['result'][0]['state']['display_value'], d['result'][0]['state']['value'], d['result'][0]['caller_id']['display_value'], d['result'][0]['caller_id']['link'].endswith('/api/now/table/sys_user/$RUNNER_ID')")" = "('New', '1', 'runner', True)" ] && ok ||
  bad "display_value=all: $(cat "$TMP/body")"
[ "$(api GET "/api/now/table/incident?sysparm_query=short_description=disk%201&sysparm_fields=caller_id")" = 200 ] &&
  [ "$(js "sorted(d['result'][0]['caller_id'].keys())")" = "['link', 'value']" ] && ok || bad "reference link: $(cat "$TMP/body")"
[ "$(api GET "/api/now/table/incident?sysparm_query=short_description=disk%201&sysparm_fields=caller_id,state&sysparm_display_value=true&sysparm_exclude_reference_link=true")" = 200 ] &&
  [ "$(js "d['result'][0]['caller_id'], d['result'][0]['state']")" = "('runner', 'New')" ] && ok || bad "display_value=true: $(cat "$TMP/body")"
SYS=$(api GET "/api/now/table/incident?sysparm_query=short_description=disk%202" >/dev/null; js "d['result'][0]['sys_id']")
[ "$(api PATCH "/api/now/v2/table/incident/$SYS?sysparm_input_display_value=true" '{"state": "On Hold", "work_notes": "waiting"}')" = 200 ] &&
  [ "$(js "d['result']['state']")" = 3 ] && ok || bad "PATCH with input display value: $(cat "$TMP/body")"
[ "$(api GET "/api/now/table/sys_journal_field?sysparm_query=element_id=$SYS")" = 200 ] && [ "$(js "d['result'][0]['value']")" = waiting ] && ok ||
  bad "work note as a journal entry: $(cat "$TMP/body")"
[ "$(api PUT "/api/now/table/incident/$SYS" '{"state": "7"}')" = 200 ] && [ "$(js "d['result']['state']")" = 7 ] && ok || bad "PUT: $(cat "$TMP/body")"
[ "$(api DELETE "/api/now/table/incident/$SYS")" = 204 ] && [ "$(api GET "/api/now/table/incident/$SYS")" = 404 ] &&
  [ "$(js "d['status'], d['error']['message']")" = "('failure', 'No Record found')" ] && ok || bad "DELETE then GET: $(cat "$TMP/body")"
[ "$(api GET /api/now/table/cmdb_ci_nope)" = 400 ] && [ "$(js "d['error']['message']")" = "Invalid table cmdb_ci_nope" ] && ok || bad "unknown table: $(cat "$TMP/body")"
[ "$(api GET '/api/now/table/incident?sysparm_limit=ten')" = 400 ] && ok || bad "bad sysparm_limit: $(cat "$TMP/body")"
# A condition an instance cannot read is left out; the rest of the query applies.
[ "$(api GET '/api/now/table/incident?sysparm_query=stateXX1%5Eshort_description=disk%201%5Enosuch=1')" = 200 ] &&
  [ "$(js "[r['short_description'] for r in d['result']]")" = "['disk 1']" ] && ok || bad "unreadable condition: $(cat "$TMP/body")"
# v1 paths too; a path the instance does not serve gets its error shape.
[ "$(api GET '/api/now/v1/table/incident?sysparm_limit=1')" = 200 ] && ok || bad "v1 path: $(cat "$TMP/body")"
[ "$(api GET '/api/now/nothing/here')" = 404 ] && [ "$(js "d['status']")" = failure ] && ok || bad "unknown path: $(cat "$TMP/body")"
[ "$(SNOW_AUTH=runner:nope api GET /api/now/table/incident)" = 401 ] && [ "$(js "d['status'], d['error']['message']")" = "('failure', 'User Not Authenticated')" ] && ok ||
  bad "wrong password: $(cat "$TMP/body")"
# A user made through the API signs in; a query cannot probe passwords; a user
# without a password cannot sign in with an empty one.
[ "$(api POST /api/now/table/sys_user '{"user_name": "svc-new", "user_password": "new-pw-XYZ", "name": "Service New"}')" = 201 ] &&
  [ "$(SNOW_AUTH=svc-new:new-pw-XYZ api GET '/api/now/table/sys_user?sysparm_query=user_password=new-pw-XYZ')" = 200 ] &&
  [ "$(js "len(d['result'])")" = 0 ] && ok || bad "created user: $(cat "$TMP/body")"
# Nor does ORDERBY on a password order the rows (runner's snow-pw-XYZ > new-pw-XYZ).
[ "$(api GET '/api/now/table/sys_user?sysparm_fields=user_name')" = 200 ] && plain=$(js "[r['user_name'] for r in d['result']]") &&
  [ "$(api GET '/api/now/table/sys_user?sysparm_fields=user_name&sysparm_query=ORDERBYuser_password')" = 200 ] &&
  [ "$(js "[r['user_name'] for r in d['result']]")" = "$plain" ] && ok || bad "ordered by a password: $(cat "$TMP/body")"
[ "$(api POST /api/now/table/sys_user '{"user_name": "svc-nopw"}')" = 201 ] && [ "$(SNOW_AUTH=svc-nopw: api GET /api/now/table/incident)" = 401 ] && ok ||
  bad "a user without a password signed in: $(cat "$TMP/body")"
stop_sims

# 3. The runner against an instance answering display values whatever is asked
#    (labels: "Resolved"), one record per page.
start_snow --force-display-value true --max-page 1
start_servicenow_engine_sim oracle "$SRC/examples/scenarios"
runner() { "$BIN/2501-runner" run -g servicenow --source fs --env-file "$TMP/env" -p "$SRC/examples/scenarios" "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; }
rc=$(runner -s demo-runaway-log)
[ "$rc" = 0 ] && [ "$(q "SELECT status FROM scenario_reports ORDER BY started_at DESC LIMIT 1")" = passed ] && ok ||
  bad "run against display values and pages of one: exit $rc $(tail -12 "$TMP/out") $(cat "$TMP/err")"
GW=$(q "SELECT string_agg(r->>'outcome', ',') FROM scenario_reports, jsonb_array_elements(rules) r WHERE r->>'scope' = 'gateway'")
[ "$GW" = "passed,passed,passed" ] && ok || bad "gateway rules: $GW"
[ "$(q "SELECT trajectory->'ticket'->>'state' FROM scenario_reports ORDER BY started_at DESC LIMIT 1")" = Resolved ] && ok ||
  bad "state read from a label: $(q "SELECT trajectory->'ticket' FROM scenario_reports ORDER BY started_at DESC LIMIT 1")"
INC=$(q "SELECT ticket_id FROM scenario_reports ORDER BY started_at DESC LIMIT 1")
SYS=$(api GET "/api/now/table/incident?sysparm_query=number=$INC" >/dev/null; js "d['result'][0]['sys_id']")
api GET "/api/now/table/sys_journal_field?sysparm_query=element_id=$SYS" >/dev/null
TOTAL=$(header X-Total-Count)
# The instance labels the state whatever the runner asks; the open-incident check read it as Resolved (6): no cancel.
[ "$(api GET "/api/now/table/incident?sysparm_query=number=$INC&sysparm_fields=state" >/dev/null; js "d['result'][0]['state']")" = Resolved ] && ok ||
  bad "the resolved incident was changed: $(cat "$TMP/body")"
READ=$(q "SELECT jsonb_array_length(trajectory->'ticket'->'messages') FROM scenario_reports ORDER BY started_at DESC LIMIT 1")
[ "${TOTAL:-0}" -ge 2 ] && [ "$READ" = "$TOTAL" ] && ok || bad "journal pages: the instance holds $TOTAL entries, the runner read $READ"

# 4. Pre-flight names the user the instance refuses.
# An instance refuses a locked-out or inactive user with a bare 401, as it does a
# wrong password: the message names the user and the possible causes.
[ "$(api POST /api/now/table/sys_user '{"user_name": "svc-locked", "user_password": "locked-pw-XYZ", "locked_out": true}')" = 201 ] &&
  [ "$(api POST /api/now/table/sys_user '{"user_name": "svc-off", "user_password": "off-pw-XYZ", "active": "false"}')" = 201 ] && ok ||
  bad "users for the pre-flight checks not created: $(cat "$TMP/body")"
[ "$(SNOW_AUTH=svc-locked:locked-pw-XYZ api GET /api/now/table/incident)" = 401 ] && [ "$(SNOW_AUTH=svc-off:off-pw-XYZ api GET /api/now/table/incident)" = 401 ] && ok ||
  bad "a locked-out or inactive user signed in"
for who in svc-locked:locked-pw-XYZ svc-off:off-pw-XYZ; do
  sed -e "s/^SERVICENOW_USERNAME=.*/SERVICENOW_USERNAME=${who%%:*}/" -e "s/^SERVICENOW_PASSWORD=.*/SERVICENOW_PASSWORD=${who#*:}/" "$TMP/env" >"$TMP/env2"
  "$BIN/2501-runner" run --check -g servicenow --source fs --env-file "$TMP/env2" -p "$SRC/examples/scenarios" -s demo >"$TMP/out" 2>&1
  rc=$?
  [ "$rc" = 3 ] && grep -q "SERVICENOW_USERNAME '${who%%:*}'.*locked out or not active" "$TMP/out" && ok || bad "pre-flight for ${who%%:*}: exit $rc $(cat "$TMP/out")"
done
"$BIN/2501-runner" run --check -g servicenow --source fs --env-file "$TMP/env" -p "$SRC/examples/scenarios" -s demo >"$TMP/out" 2>&1
[ $? = 0 ] && grep -q "accepts the credentials of 'runner'" "$TMP/out" && ok || bad "pre-flight for runner: $(cat "$TMP/out")"
[ "$(curl -s "$SNOW_URL/_sim/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("requests.list_user", 0) > 0)')" = True ] && ok ||
  bad "pre-flight did not probe sys_user: $(curl -s "$SNOW_URL/_sim/counters")"

finish servicenow_api_e2e
