#!/usr/bin/env bash
# Writes help2man's include file: the hand-written sections (packaging/2501-runner.h2m)
# and a COMMANDS section holding every command's own --help, so the man page lists
# each command's options as the program has them.
# usage: man-commands.sh path/to/2501-runner base.h2m out.h2m
set -euo pipefail
prog=$1 base=$2 out=$3
{
  cat "$base"
  echo
  echo "[COMMANDS]"
  "$prog" --help | awk '/^Subcommands:/ {f = 1; next} f && /^$/ {exit} f && /^  [a-z]/ {sub(",", "", $1); print $1}' |
    while read -r cmd; do
      [ "$cmd" = help ] && continue
      echo ".SS $cmd"
      echo ".nf"
      # Roff: a leading dot or quote is a request, a backslash an escape.
      "$prog" "$cmd" --help | sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"
      echo ".fi"
    done
} >"$out"
