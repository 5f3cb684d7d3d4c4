#!/usr/bin/env bash
# Installing: `cmake --install` into a clean prefix, and the Debian package built by
# CPack unpacked into a clean folder. Both hold the runner, the simulators, the
# example scenarios and VM templates under share/2501-runner, the man page and the
# shell completions; the installed runner prints its version and lists the shipped
# examples; the bash completion completes subcommands, options and allowed values.
# usage: package_e2e.sh path/to/build-dir source-dir
set -uo pipefail
BUILD=$(realpath "$1")
SRC=$(realpath "$2")
TMP=$(mktemp -d)
BIN=$BUILD/bin
source "$SRC/tests/e2e/lib.sh"
trap 'rm -rf "$TMP"' EXIT

# 1. cmake --install into a clean prefix.
cmake --install "$BUILD" --prefix "$TMP/prefix" >"$TMP/install.log" 2>&1 && ok || bad "cmake --install: $(tail -5 "$TMP/install.log")"
for f in bin/2501-runner bin/2501-engine-sim bin/2501-servicenow-sim share/man/man1/2501-runner.1 \
  share/bash-completion/completions/2501-runner share/zsh/vendor-completions/_2501-runner \
  share/2501-runner/scenarios/disk/010-runaway-log/scenario.json share/2501-runner/vm-templates; do
  [ -e "$TMP/prefix/$f" ] && ok || bad "cmake --install did not install $f"
done

# 2. The .deb, unpacked into a clean folder (installing it for real needs a machine of its own).
(cd "$TMP" && cpack -G DEB -B "$TMP/pkg" --config "$BUILD/CPackConfig.cmake" >"$TMP/cpack.log" 2>&1) || bad "cpack: $(tail -8 "$TMP/cpack.log")"
DEB=$(ls "$TMP"/pkg/2501-runner_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] && ok || bad "no .deb in $TMP/pkg: $(ls "$TMP/pkg" 2>&1) $(tail -5 "$TMP/cpack.log")"
if [ -n "$DEB" ]; then
  dpkg-deb -x "$DEB" "$TMP/root" && ok || bad "dpkg-deb -x $DEB"
  [ "$(dpkg-deb -f "$DEB" Package)" = 2501-runner ] && ok || bad "package name: $(dpkg-deb -f "$DEB" Package)"
  # Its shared libraries (found by dpkg-shlibdeps) and what it starts are dependencies.
  DEPENDS=$(dpkg-deb -f "$DEB" Depends)
  for dep in libcaf-core libpqxx libcurl ansible-core; do
    grep -q "$dep" <<<"$DEPENDS" && ok || bad "Depends lacks $dep: $DEPENDS"
  done
  # Installed by dpkg into a folder of its own (its own database; dependencies are the
  # host's business, so not checked here).
  mkdir -p "$TMP/dpkgroot/var/lib/dpkg/info" "$TMP/dpkgroot/var/lib/dpkg/updates" && touch "$TMP/dpkgroot/var/lib/dpkg/status"
  dpkg --root="$TMP/dpkgroot" --force-depends --force-not-root --log=/dev/null -i "$DEB" >"$TMP/dpkg.log" 2>&1 &&
    [ -x "$TMP/dpkgroot/usr/bin/2501-runner" ] && ok || bad "dpkg --root -i: $(tail -5 "$TMP/dpkg.log")"
  R=$TMP/root/usr
  "$R/bin/2501-runner" --version | grep -q '^2501-runner ' && ok || bad "installed --version: $("$R/bin/2501-runner" --version 2>&1)"
  "$R/bin/2501-engine-sim" --version | grep -q '^2501-engine-sim ' && ok || bad "installed engine simulator --version"
  "$R/bin/2501-servicenow-sim" --version | grep -q '^2501-servicenow-sim ' && ok || bad "installed ServiceNow simulator --version"
  (cd "$TMP" && env -u DATABASE_URL "$R/bin/2501-runner" list --source fs -p "$R/share/2501-runner/scenarios" -s demo) >"$TMP/list.out" 2>&1
  [ $? = 0 ] && grep -q 'demo-runaway-log' "$TMP/list.out" && ok || bad "installed list on the shipped examples: $(cat "$TMP/list.out")"
  [ -d "$R/share/2501-runner/vm-templates" ] && [ -n "$(ls "$R/share/2501-runner/vm-templates")" ] && ok || bad "no VM templates in the package"
  grep -q '^\.TH "\?2501-RUNNER' "$R/share/man/man1/2501-runner.1" 2>/dev/null && grep -q 'compare' "$R/share/man/man1/2501-runner.1" && ok ||
    bad "man page: $(head -5 "$R/share/man/man1/2501-runner.1" 2>&1)"
  [ -f "$R/share/bash-completion/completions/2501-runner" ] && [ -f "$R/share/zsh/vendor-completions/_2501-runner" ] && ok || bad "completions missing from the package"
fi

# 3. The installed bash completion with the installed program: commands (nested too),
#    a command's options (and no other command's), an option's allowed values.
COMPLETION=$TMP/root/usr/share/bash-completion/completions/2501-runner
CBIN=$TMP/root/usr/bin
[ -f "$COMPLETION" ] || { COMPLETION=$SRC/packaging/2501-runner.bash; CBIN=$BIN; }
complete_words() {  # complete_words WORD... (the last one is being completed)
  PATH="$CBIN:$PATH" bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _2501_runner
    printf "%s\n" "${COMPREPLY[@]}"' _ "$COMPLETION" "$@"
}
[ "$(complete_words 2501-runner ru | sort | tr '\n' ' ')" = "run runs " ] && ok || bad "subcommands for 'ru': $(complete_words 2501-runner ru | tr '\n' ' ')"
complete_words 2501-runner run --fail | grep -qx -- '--fail-on-error' && ok || bad "options of run: $(complete_words 2501-runner run --fail | tr '\n' ' ')"
[ "$(complete_words 2501-runner run --color '' | sort | tr '\n' ' ')" = "always auto never " ] && ok ||
  bad "values of --color: $(complete_words 2501-runner run --color '' | tr '\n' ' ')"
[ -z "$(complete_words 2501-runner report --par)" ] && ok || bad "report offers run's options: $(complete_words 2501-runner report --par | tr '\n' ' ')"
[ "$(complete_words 2501-runner db '' | tr '\n' ' ')" = "migrate -h --help " ] && ok || bad "db's commands: $(complete_words 2501-runner db '' | tr '\n' ' ')"
[ "$(complete_words 2501-runner sandbox create -m '' | sort | tr '\n' ' ')" = "incus lima " ] && ok ||
  bad "values of sandbox create -m: $(complete_words 2501-runner sandbox create -m '' | tr '\n' ' ')"
[ "$(complete_words 2501-runner run -m '' | sort | tr '\n' ' ')" = "host incus lima " ] && ok ||
  bad "values of -m: $(complete_words 2501-runner run -m '' | tr '\n' ' ')"
zsh -n "$SRC/packaging/_2501-runner" && ok || bad "zsh completion does not parse"

finish package_e2e
