#!/usr/bin/env bash
# The README's first command (scripts/demo) on an existing build, with its own
# PostgreSQL and simulator ports: every example passes.
# usage: demo_e2e.sh build-dir source-dir
set -uo pipefail
BUILD=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
chmod 755 "$TMP"  # the PostgreSQL server runs as `postgres` and must reach its folder
trap 'rm -rf "$TMP"' EXIT
source "$SRC/tests/e2e/lib.sh"
DEMO_SKIP_SETUP=1 BUILD_DIR="$BUILD" DEMO_PG_DIR="$TMP/pg" DEMO_PG_PORT=55442 DEMO_ENGINE_PORT=58090 \
  XDG_STATE_HOME="$TMP/state" "$SRC/scripts/demo" >"$TMP/out" 2>&1
rc=$?
[ "$rc" = 0 ] && ok || bad "scripts/demo exit $rc: $(tail -20 "$TMP/out")"
grep -q '5 passed, 0 failed, 0 error(s) of 5' "$TMP/out" && ok || bad "summary: $(tail -20 "$TMP/out")"
# It ends with the stored report (the same totals, read back) and says how to keep the database.
[ "$(grep -c '5 passed, 0 failed, 0 error(s) of 5' "$TMP/out")" = 2 ] && grep -q "^benchmark .* completed: started" "$TMP/out" && ok ||
  bad "no stored report at the end: $(tail -20 "$TMP/out")"
grep -q 'run with DEMO_KEEP=1 to keep it' "$TMP/out" && ok || bad "no DEMO_KEEP hint"
"$SRC/scripts/pg-cluster" status "$TMP/pg" >/dev/null 2>&1 && bad "the demo left PostgreSQL running" || ok
finish demo_e2e
