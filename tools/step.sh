#!/usr/bin/env bash
# One setup step, one line: `tools/step.sh LOG "what it does" command [args...]`.
# Prints "what it does ... 12.3 s" and keeps the command's own output (pip's resolver notes, build
# messages) in LOG, so a setup says what it does and how long it took instead of pip's noise. On
# failure the step says so, shows the last lines of LOG and its path, and exits with the command's code.
set -u
log=$1 what=$2
shift 2
mkdir -p "$(dirname "$log")"
printf '== %s: %s\n' "$what" "$*" >>"$log"
printf '%s ... ' "$what"
start=$EPOCHREALTIME
"$@" >>"$log" 2>&1
code=$?
secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
if [ "$code" -eq 0 ]; then
  printf '%s s\n' "$secs"
else
  printf 'failed after %s s (exit %s); the last lines of %s:\n' "$secs" "$code" "$log"
  tail -n 25 "$log" | sed 's/^/  | /'
fi
exit "$code"
