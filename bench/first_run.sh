#!/usr/bin/env bash
# The first five minutes of a new user, measured: clone the committed repo into a temporary folder, run
# `make run` there, send one shopper message as soon as the port answers (retrying), and time
#   - the first answer after typing `make run` (setup included: a fresh .venv, pip's cache as it is),
#   - the full router answering (/readyz names the router),
#   - a second `make run` in the same clone to its first answer,
# and count the lines of the output that warn. Heavy: run it alone (`flock /tmp/shoptalk-cpu.lock ...`).
# The clone is removed afterwards (FIRST_RUN_KEEP=1 keeps it); its output is kept beside the results.
#
#   bench/first_run.sh [RUNS] [--record]     # medians over RUNS fresh clones (default 3)
#
# The clone goes to /tmp/shoptalk-first-run-*/ so that ../shared/data (the datasets beside a clone) is
# /tmp/shared/data, as the tests expect; the first answer itself needs no dataset.
set -euo pipefail
set -m  # background jobs get their own process group: stop_run signals all of `make run`
RUNS=3
RECORD=0
for a in "$@"; do
  case "$a" in
    --record) RECORD=1 ;;
    *[!0-9]*) echo "usage: $0 [RUNS] [--record]" >&2; exit 2 ;;
    *) RUNS=$a ;;
  esac
done
REPO=$(cd "$(dirname "$0")/.." && pwd)
MESSAGE="hi, where is my order?"
TIMEOUT=${FIRST_RUN_TIMEOUT:-900}
RESULTS=$(mktemp /tmp/shoptalk-first-run-results-XXXX.jsonl)

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# POST a conversation and one message; prints the bot's first line when answered, fails otherwise.
ask() {
  local url=$1 conv
  conv=$(curl -sf -m 10 -X POST "$url/v1/conversations" -H 'Content-Type: application/json' -d '{}') || return 1
  python3 - "$url" "$conv" "$MESSAGE" <<'EOF'
import json, sys, urllib.request
url, conv, text = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
req = urllib.request.Request(f"{url}/v1/conversations/{conv['conversation_id']}/messages",
                             data=json.dumps({"text": text}).encode(), method="POST",
                             headers={"Content-Type": "application/json", "Authorization": "Bearer " + conv["token"]})
turn = json.load(urllib.request.urlopen(req, timeout=60))
messages = [m["text"] for m in turn["messages"] if m.get("text")]
assert messages, turn
print(messages[0].splitlines()[0][:100], "| route:", (turn.get("route") or {}).get("label"))
EOF
}

# `make run` in $1 on port $2, as a job of its own process group (set -m); sets PGID. Not in a command
# substitution: the background job would hold its output pipe open until `make run` ends.
start_run() {
  ( cd "$1" && exec env SHOPTALK_PORT="$2" make run ) >>"$3" 2>&1 </dev/null &
  PGID=$!
}

stop_run() {
  kill -TERM -- "-$1" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 -- "-$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL -- "-$1" 2>/dev/null || true
}

# Seconds from $1 until a shopper message is answered on $2.
first_answer() {
  local t0=$1 url=$2 reply
  while true; do
    if reply=$(ask "$url" 2>/dev/null); then
      echo "$(since "$t0") $reply"
      return 0
    fi
    if [ "$(since "$t0" | cut -d. -f1)" -ge "$TIMEOUT" ]; then echo "timeout"; return 1; fi
    sleep 0.5
  done
}

full_router() {
  local t0=$1 url=$2
  while true; do
    if curl -sf -m 5 "$url/readyz" | grep -Eq '"router": ?"ok \(full router'; then since "$t0"; return 0; fi
    if [ "$(since "$t0" | cut -d. -f1)" -ge "$TIMEOUT" ]; then echo "timeout"; return 1; fi
    sleep 1
  done
}

for run in $(seq "$RUNS"); do
  dir=$(mktemp -d /tmp/shoptalk-first-run-XXXX)/shoptalk
  git clone -q "$REPO" "$dir"
  commit=$(git -C "$dir" rev-parse --short HEAD)
  out="$dir/../shoptalk.out"
  port=$(free_port)
  url="http://127.0.0.1:$port"
  echo "run $run: $dir at $commit (port $port)"
  t0=$(now)
  start_run "$dir" "$port" "$out"
  read -r first reply < <(first_answer "$t0" "$url") || true
  echo "  first answer after ${first} s: ${reply:-}"
  full=$(full_router "$t0" "$url") || true
  echo "  full router answering after ${full} s"
  stop_run "$PGID"
  warnings_first=$(grep -ci 'warn' "$out" || true)
  # a later start: once the background setup (generator model, byte-compiling) has finished (at most 3 min)
  for _ in $(seq 180); do grep -q "background setup done" "$dir/var/setup.log" && break; sleep 1; done
  echo "--- second start ---" >>"$out"
  t1=$(now)
  start_run "$dir" "$port" "$out"
  read -r second reply2 < <(first_answer "$t1" "$url") || true
  echo "  second start: first answer after ${second} s"
  stop_run "$PGID"
  warnings=$(grep -ci 'warn' "$out" || true)
  echo "  warning lines in the output: $warnings (first start: $warnings_first); output: $out"
  grep -i 'warn' "$out" | sed 's/^/    | /' | head -20 || true
  out_kept="$out"; [ -n "${FIRST_RUN_KEEP:-}" ] || { cp "$out" "$RESULTS.run$run.out"; out_kept="$RESULTS.run$run.out"; }
  [ -n "${FIRST_RUN_KEEP:-}" ] || rm -rf "$(dirname "$dir")"  # a clone with its .venv is 2 GB
  printf '{"run": %d, "commit": "%s", "first_answer_s": %s, "full_router_s": %s, "second_start_s": %s, "warning_lines": %s, "output": "%s"}\n' \
    "$run" "$commit" "${first:-null}" "${full:-null}" "${second:-null}" "$warnings" "$out_kept" >>"$RESULTS"
done

python3 - "$RESULTS" "$RECORD" "$REPO" "$MESSAGE" <<'EOF'
import json, statistics, sys, time
from pathlib import Path
results, record, repo, message = Path(sys.argv[1]), sys.argv[2] == "1", Path(sys.argv[3]), sys.argv[4]
runs = [json.loads(line) for line in results.read_text().splitlines()]
def median(key):
    values = [r[key] for r in runs if isinstance(r[key], (int, float))]
    return round(statistics.median(values), 1) if len(values) == len(runs) else None
summary = {k: median(k) for k in ("first_answer_s", "full_router_s", "second_start_s", "warning_lines")}
print("medians over %d runs: " % len(runs) + ", ".join(f"{k} {v}" for k, v in summary.items()))
if record:
    sys.path.insert(0, str(repo))
    from bench.machine import machine
    out = repo / "bench" / "results" / f"first_run_{time.strftime('%Y-%m-%d')}.json"
    out.write_text(json.dumps({"bench": "bench/first_run.sh", "message": message, "medians": summary,
                               "runs": runs, "machine": machine()}, indent=2) + "\n")
    print(f"wrote {out}")
EOF
