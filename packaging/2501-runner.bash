# bash completion for 2501-runner. Commands (also nested ones: `db migrate`,
# `sandbox create`), each command's options and an option's allowed values are read
# from the program's own --help, so completion never drifts from the program.

# The names listed in a help's "Subcommands:" block ("run, start" gives both).
_2501_runner_commands() {
  awk '/^Subcommands:/ {f = 1; next} f && /^$/ {exit}
       f && /^  [a-z]/ {gsub(",", " "); print $1; if ($2 ~ /^[a-z][a-z-]*$/) print $2}'
}
# The option names in a help's "Options:" block only (not the examples or notes).
_2501_runner_options() {
  awk '/^Options:/ {f = 1; next} f && /^[^ ]/ {exit}
       f && /^  -/ {n = split($1, names, ","); for (i = 1; i <= n; i++) print names[i]}'
}

_2501_runner() {
  local cur prev prog i w
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  prog=${COMP_WORDS[0]}
  # The command path: the words before the cursor that name (sub)commands.
  local -a path=()
  local help
  help=$("$prog" --help 2>/dev/null)
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    [[ $w == -* ]] && continue
    if _2501_runner_commands <<<"$help" | grep -qx -- "$w"; then
      path+=("$w")
      help=$("$prog" "${path[@]}" --help 2>/dev/null)
    fi
  done
  if [ "${path[0]:-}" = help ]; then
    mapfile -t COMPREPLY < <(compgen -W "$("$prog" --help 2>/dev/null | _2501_runner_commands)" -- "$cur")
    return
  fi
  # An option's allowed values, as its help line lists them
  # ("--color TEXT:{auto,always,never}", "-m,--mode {host,incus,lima}").
  if [[ $prev == -* ]]; then
    local values
    values=$(awk -v p="$prev" '/^Options:/ {f = 1; next} f && /^[^ ]/ {exit} f {
        n = split($1, names, ",")
        for (i = 1; i <= n; i++)
          if (names[i] == p && match($2, /\{[^}]*\}/)) { v = substr($2, RSTART + 1, RLENGTH - 2); gsub(",", " ", v); print v; exit }
      }' <<<"$help")
    if [ -n "$values" ]; then
      mapfile -t COMPREPLY < <(compgen -W "$values" -- "$cur")
      return
    fi
    case $prev in
      -p|--scenarios-path|--env-file|--log-file|--junit|-o|--output|--spool-dir|--vm-templates-path)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return ;;
      --json)  # a file for run and chaos, a flag elsewhere
        if [[ ${path[0]:-} == run || ${path[0]:-} == start || ${path[0]:-} == chaos ]]; then
          mapfile -t COMPREPLY < <(compgen -f -- "$cur")
          return
        fi ;;
    esac
  fi
  local words
  words="$(_2501_runner_commands <<<"$help") $(_2501_runner_options <<<"$help")"
  [ ${#path[@]} -eq 0 ] && words+=" help"
  mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
}
complete -o default -F _2501_runner 2501-runner
