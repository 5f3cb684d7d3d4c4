#!/usr/bin/env bash
# The lima provider through the real binary against tests/support/limactl_sim.py
# (lima is not packaged for Debian): template build, a parallel run under a RAM cap
# (clones queue, nothing left behind, rows removed, capacity recorded), a clone that
# never becomes ready (provision error, destroyed), the sandbox commands and
# purge-vms. The simulated instances run playbooks locally (template ansible_vars:
# ansible_connection=local) inside this test's sandbox folder.
# usage: lima_e2e.sh path/to/bin-dir source-dir   (needs RUNNER_TEST_DATABASE_URL)
set -uo pipefail
BIN=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
source "$SRC/tests/e2e/lib.sh"
make_test_database lima_e2e
cleanup() { stop_engine_sim; drop_test_database; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
export XDG_STATE_HOME="$TMP/state" RUNNER_POLL_INITIAL_MS=100 RUNNER_POLL_MAX_MS=300
export LIMA_HOME="$TMP/lima" LIMACTL="$SRC/tests/support/limactl_sim.py" RUNNER_SSH_KEY="$TMP/key/runner_key"
seed_test_database
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

# A debian-base of 512 MiB whose "VMs" are this machine, inside $TMP/sandbox.
mkdir -p "$TMP/templates/debian-base"
cat >"$TMP/templates/debian-base/template.json" <<JSON
{"name": "debian-base", "vcpu": 1, "memory_mib": 512,
 "base_image": {"lima": "template://debian-12"}, "provision": "provision.yml",
 "ansible_vars": {"ansible_connection": "local", "ansible_become": false,
                  "demo_root_override": "$TMP/sandbox", "demo_web_port": $PORT}}
JSON
cat >"$TMP/templates/debian-base/provision.yml" <<'YML'
- hosts: all
  gather_facts: false
  tasks:
    - ansible.builtin.command: "true"
YML

start_engine_sim oracle "$SRC/examples/scenarios" 300
runner() { "$BIN/2501-runner" "$@" --env-file "$TMP/env" >"$TMP/out" 2>"$TMP/err"; echo $?; }
instances() { "$LIMACTL" list --format json 2>/dev/null | python3 -c 'import json,sys; print(" ".join(sorted(json.loads(l)["name"] for l in sys.stdin if l.strip())))'; }
last_bench() { q "SELECT id FROM benchmarks ORDER BY started_at DESC LIMIT 1"; }
ephemeral_rows() { q "SELECT (SELECT count(*) FROM hosts WHERE ephemeral) + (SELECT count(*) FROM agents WHERE ephemeral)"; }
SCEN=(--source fs -p "$SRC/examples/scenarios" -m lima --vm-templates-path "$TMP/templates")

# 1. Parallel run, 3 scenarios of 512 MiB under a 1 GB cap: two at a time.
rc=$(runner run "${SCEN[@]}" -s demo-broken-app-config,demo-runaway-log,demo-disabled-backup-job --parallel --parallel-ram-cap 1)
B=$(last_bench)
[ "$rc" = 0 ] && ok || bad "parallel lima run exit $rc: $(tail -20 "$TMP/out") $(cat "$TMP/err")"
grep -q 'template-debian-base: building' "$TMP/out" && ok || bad "template build not shown"
[ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B' AND status = 'passed' AND mode = 'lima'")" = 3 ] && ok || bad "lima reports: $(q "SELECT scenario_key, status, error_message FROM scenario_reports WHERE benchmark_id = '$B'")"
[ "$(instances)" = "template-debian-base" ] && ok || bad "instances left: $(instances)"
[ "$(ephemeral_rows)" = 0 ] && ok || bad "ephemeral rows left: $(ephemeral_rows)"
[ "$(q "SELECT capacity->>'budget_mib' || ' ' || (capacity->>'peak_mib') || ' ' || (capacity->>'peak_clones') FROM benchmarks WHERE id = '$B'")" = "1024 1024 2" ] && ok || bad "capacity: $(q "SELECT capacity FROM benchmarks WHERE id = '$B'")"
[ "$(grep -c '^clone ' "$LIMA_HOME/calls.log")" = 3 ] && [ "$(grep -c '^delete --force r2501-' "$LIMA_HOME/calls.log")" = 3 ] && ok || bad "clone/delete calls: $(cat "$LIMA_HOME/calls.log")"
grep -q -- '--memory=0.5' "$LIMA_HOME/calls.log" && ok || bad "clone memory limit not passed"
# The host rows the agents worked on were the clones (engine saw ephemeral hosts).
[ "$(q "SELECT count(*) FROM scenario_reports WHERE benchmark_id = '$B' AND jsonb_array_length(host_ids) = 1 AND jsonb_array_length(agent_ids) = 1 AND host_ids->>0 <> 'hst_demo01'")" = 3 ] && ok || bad "report host ids"

# 1b. Two hosts in one scenario: two clones, two host rows, an agent on each, one
#     lease of both clones' memory.
mkdir -p "$TMP/scen2"
cp -r "$SRC/examples/scenarios/disk/010-runaway-log" "$TMP/scen2/two-hosts"
python3 - "$TMP/scen2/two-hosts/scenario.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["key"] = "two-hosts"
d["hosts"].append({"host_name": "db", "template": "debian-base"})
d["agents"].append({"agent_name": "db-agent", "host_name": "db", "specialty_key": "DBA"})
json.dump(d, open(sys.argv[1], "w"))
PY
: >"$LIMA_HOME/calls.log"
rc=$(runner run --source fs -p "$TMP/scen2" -m lima --vm-templates-path "$TMP/templates" -s two-hosts)
B=$(last_bench)
[ "$rc" = 0 ] && ok || bad "two hosts: exit $rc $(tail -5 "$TMP/out") $(cat "$TMP/err")"
[ "$(q "SELECT jsonb_array_length(host_ids) || ' ' || jsonb_array_length(agent_ids) FROM scenario_reports WHERE benchmark_id = '$B'")" = "2 2" ] && ok || bad "two hosts report ids"
[ "$(grep -c '^clone ' "$LIMA_HOME/calls.log")" = 2 ] && [ "$(q "SELECT (capacity->>'peak_clones') || ' ' || (capacity->>'peak_mib') FROM benchmarks WHERE id = '$B'")" = "2 1024" ] && ok || bad "two hosts: clones/capacity $(q "SELECT capacity FROM benchmarks WHERE id = '$B'")"
[ "$(instances)" = "template-debian-base" ] && [ "$(ephemeral_rows)" = 0 ] && ok || bad "two hosts left: $(instances)"

# 2. A scenario needing more than the budget is an error before anything runs.
rc=$(runner run "${SCEN[@]}" -s demo-runaway-log --parallel --parallel-ram-cap 0.25)
[ "$rc" = 3 ] && grep -q 'more than the whole RAM budget' "$TMP/err" && ok || bad "over budget: exit $rc $(cat "$TMP/err")"

# 3. A clone that never becomes ready: provision error, clone destroyed, no rows.
: >"$LIMA_HOME/calls.log"
rc=$(LIMA_SIM_NEVER_READY='r2501-*' RUNNER_VM_READY_TIMEOUT_S=3 runner run "${SCEN[@]}" -s demo-runaway-log)
B=$(last_bench)
[ "$rc" = 4 ] && ok || bad "never ready: exit $rc"
[ "$(q "SELECT error_kind FROM scenario_reports WHERE benchmark_id = '$B'")" = provision ] && ok || bad "never ready report: $(q "SELECT status, error_kind, error_message FROM scenario_reports WHERE benchmark_id = '$B'")"
q "SELECT error_message FROM scenario_reports WHERE benchmark_id = '$B'" | grep -q 'not reachable within 3 s' && ok || bad "never ready message"
[ "$(instances)" = "template-debian-base" ] && [ "$(ephemeral_rows)" = 0 ] && ok || bad "never ready left: $(instances) rows $(ephemeral_rows)"
grep -q '^delete --force r2501-' "$LIMA_HOME/calls.log" && ok || bad "never-ready clone not deleted"

# 4. A start that fails (lima's "did not receive running"): provision error too.
rc=$(LIMA_SIM_FAIL_START='r2501-*' runner run "${SCEN[@]}" -s demo-runaway-log)
B=$(last_bench)
q "SELECT error_message FROM scenario_reports WHERE benchmark_id = '$B'" | grep -q 'running' && [ "$(instances)" = "template-debian-base" ] && ok || bad "failed start: $(q "SELECT error_message FROM scenario_reports WHERE benchmark_id = '$B'") / $(instances)"

# 5. sandbox create / delete, and the pairs that must not mix.
rc=$(runner sandbox create --template debian-base -m lima -n sbx-one --vm-templates-path "$TMP/templates")
[ "$rc" = 0 ] && grep -q '^target ready: sbx-one' "$TMP/out" && grep -q '^ssh -i .* -p [0-9]*$' "$TMP/out" && grep -q '^delete with: 2501-runner sandbox delete -s sbx-one -m lima' "$TMP/out" && ok || bad "sandbox create: $rc $(cat "$TMP/out" "$TMP/err")"
HOST_ID=$(sed -n 's/^host id: //p' "$TMP/out")
[ "$(q "SELECT count(*) FROM hosts h JOIN agents a ON a.host_id = h.id WHERE h.id::text = '$HOST_ID' AND h.ephemeral AND a.specialty = 'SERVICES_MANAGER'")" = 1 ] && ok || bad "sandbox create rows"
# restore undoes only `sandbox prepare` clones: with nothing prepared it refuses, and
# the created VM stays.
rc=$(runner sandbox restore "${SCEN[@]:0:4}" -s demo-broken-app-config -m lima)
[ "$rc" = 2 ] && grep -q 'no `sandbox prepare -m lima` environment' "$TMP/err" && [ "$(instances)" = "sbx-one template-debian-base" ] && ok || bad "restore must leave a created VM alone: exit $rc, $(instances)"
rc=$(runner sandbox delete -s sbx-one -m lima)
[ "$rc" = 0 ] && [ "$(instances)" = "template-debian-base" ] && [ "$(ephemeral_rows)" = 0 ] && ok || bad "sandbox delete: $rc $(instances) $(cat "$TMP/err")"

# 6. sandbox prepare / restore: environment up, prepare.yml ran, no ticket; then gone.
TICKETS_BEFORE=$(curl -s "$SIM_URL/_sim/counters" | python3 -c "import json,sys; print(json.load(sys.stdin).get(\"requests.create_ticket\", 0))" 2>/dev/null)
rc=$(runner sandbox prepare "${SCEN[@]:0:4}" -s demo-broken-app-config -m lima --vm-templates-path "$TMP/templates")
[ "$rc" = 0 ] && grep -q 'environment ready' "$TMP/out" && grep -q 'undo with: 2501-runner sandbox restore -s demo-broken-app-config -m lima' "$TMP/out" && ok || bad "sandbox prepare: $rc $(cat "$TMP/out" "$TMP/err")"
grep -q 'listen_port = 99999' "$TMP/sandbox/app/app.conf" 2>/dev/null && ok || bad "prepare.yml did not run"
CLONE=$(instances | tr ' ' '\n' | grep '^r2501-')
[ -n "$CLONE" ] && [ "$(q "SELECT count(*) FROM hosts WHERE ephemeral AND name = '$CLONE'")" = 1 ] && ok || bad "prepared clone/rows: $(instances)"
rc=$(runner sandbox delete -s "$CLONE" -m lima)
[ "$rc" = 2 ] && grep -q 'sandbox restore' "$TMP/err" && ok || bad "delete on a prepared clone must be refused: $rc"
TICKETS_AFTER=$(curl -s "$SIM_URL/_sim/counters" | python3 -c "import json,sys; print(json.load(sys.stdin).get(\"requests.create_ticket\", 0))" 2>/dev/null)
[ "$TICKETS_BEFORE" = "$TICKETS_AFTER" ] && ok || bad "sandbox prepare sent a ticket ($TICKETS_BEFORE -> $TICKETS_AFTER)"
rc=$(runner sandbox restore "${SCEN[@]:0:4}" -s demo-broken-app-config -m lima)
[ "$rc" = 0 ] && [ "$(instances)" = "template-debian-base" ] && [ "$(ephemeral_rows)" = 0 ] && ok || bad "sandbox restore: $rc $(instances)"

# 7. purge-vms: clones of a dead run and of a forgotten prepare go; templates and
#    standalone VMs stay.
"$BIN/2501-runner" sandbox prepare "${SCEN[@]:0:4}" -s demo-runaway-log -m lima --vm-templates-path "$TMP/templates" --env-file "$TMP/env" >/dev/null 2>&1
"$LIMACTL" clone template-debian-base r2501-deadbeef-x-1-abcd >/dev/null 2>&1
echo '{"role":"run","benchmark":"6d1f4b7e-0000-4000-8000-00000000dead"}' >"$LIMA_HOME/r2501-deadbeef-x-1-abcd/2501-runner.json"
"$BIN/2501-runner" sandbox create --template debian-base -m lima -n keep-me --vm-templates-path "$TMP/templates" --env-file "$TMP/env" >/dev/null 2>&1
rc=$(runner sandbox purge-vms -m lima)
[ "$rc" = 0 ] && [ "$(instances)" = "keep-me template-debian-base" ] && ok || bad "purge-vms: $rc left $(instances) $(cat "$TMP/err")"
[ "$(q "SELECT string_agg(name, ',') FROM hosts WHERE ephemeral")" = keep-me ] && ok || bad "purge-vms rows: $(q "SELECT name FROM hosts WHERE ephemeral")"
"$BIN/2501-runner" sandbox delete -s keep-me -m lima --env-file "$TMP/env" >/dev/null 2>&1

# 8. The start of every run reaps clones of runs that died (their lock is free).
"$LIMACTL" clone template-debian-base r2501-deadbeef-y-1-wxyz >/dev/null 2>&1
echo '{"role":"run","benchmark":"6d1f4b7e-0000-4000-8000-00000000beef"}' >"$LIMA_HOME/r2501-deadbeef-y-1-wxyz/2501-runner.json"
rc=$(runner run "${SCEN[@]}" -s demo-runaway-log)
[ "$rc" = 0 ] && grep -q 'reaped 1 clone(s) of runs that died' "$TMP/out" && [ "$(instances)" = "template-debian-base" ] && ok || bad "run-start reaping: $rc $(instances) $(grep -i reap "$TMP/out")"

# 9. sandbox prepare/restore in host mode: the seeded host, prepare.yml ran, then undone.
isolate_demo_host
SB=$(q "SELECT ansible_vars->>'demo_root_override' FROM hosts WHERE id = 'hst_demo01'")
rc=$(runner sandbox prepare "${SCEN[@]:0:4}" -s demo-broken-app-config -m host)
[ "$rc" = 0 ] && grep -q 'listen_port = 99999' "$SB/app/app.conf" && grep -q 'host demo-local (hst_demo01)' "$TMP/out" && ok || bad "host sandbox prepare: $rc $(cat "$TMP/out" "$TMP/err")"
rc=$(runner sandbox restore "${SCEN[@]:0:4}" -s demo-broken-app-config -m host)
[ "$rc" = 0 ] && [ ! -e "$SB/app" ] && ok || bad "host sandbox restore: $rc $(ls "$SB")"
rc=$(runner sandbox restore "${SCEN[@]:0:4}" -s demo-broken-app-config -m host)
[ "$rc" = 2 ] && ok || bad "restore without prepare must be refused: $rc"

finish lima_e2e
