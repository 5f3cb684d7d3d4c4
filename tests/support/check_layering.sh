#!/usr/bin/env bash
# The layers point one way: app → actors → core → adapters → messages. A file may
# include its own layer and the layers below it, never one above (the per-layer
# libraries make such a call fail to link; this names the include that did it).
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
declare -A allowed=(
  [messages]="messages"
  [adapters]="adapters messages"
  [core]="core adapters messages"
  [actors]="actors core adapters messages"
)
status=0
for layer in "${!allowed[@]}"; do
  while IFS= read -r hit; do
    file=${hit%%:*}
    target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$hit")
    case " ${allowed[$layer]} " in
      *" $target "*) ;;
      *) echo "layering: $file includes $target/ (a $layer file may include only: ${allowed[$layer]})"; status=1 ;;
    esac
  done < <(cd "$root" && grep -rnE '#include "[a-z_]+/' "$layer" --include='*.hpp' --include='*.cpp' || true)
done
[ $status -eq 0 ] && echo "layering: every include points down"
exit $status
