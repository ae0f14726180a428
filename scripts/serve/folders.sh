#!/usr/bin/env bash
# Step-level batching of folder models: generate on the zoo's SSDNeRF (its prior's DDIM steps, one scene,
# one view per request) and PLANNER (DDIM 20 steps, then greedy decoding, one paragraph per request) at
# 16 concurrent requests, with step-level batching off and on, bounded in time. Prints a Markdown table.
# Usage: scripts/serve/folders.sh [SECONDS_PER_RUN] [EXTRA SERVER ARGS...]   (default 30)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
secs=${1:-30}
shift || true
copy_launcher
echo '{"count": 1, "seed": 3, "views": [[30, 30]]}' > "$work/generate-ssdnerf.json"
echo '{"count": 1, "seed": 3, "steps": 20, "attribute": 1}' > "$work/generate-planner.json"

row() {
  printf '| %s | %s\n' "$1" "$(hey_cells "$secs" 16 120 "$2" "$3")"
}

# runs_line PORT MODEL : calls and ONNX Runtime runs the server counted for MODEL (mean batch).
runs_line() {
  curl -s "http://127.0.0.1:$1/metrics" | awk -v m="$2" '
    $0 ~ "^kiln_inference_exec_count_total\\{model=\"" m "\"" {ec=$2}
    $0 ~ "^kiln_inference_count_total\\{model=\"" m "\"" {ic=$2}
    END {if (ec > 0) printf "  %s: %d calls in %d runs (mean batch %.2f)\n", m, ic, ec, ic/ec}'
}

echo "## generate on folder models, 16 concurrent requests (${secs} s per run) $*"
echo "| model, step-level batching | requests/s | p50 ms | p99 ms | status codes |"
echo "|---|---|---|---|---|"
for model in ssdnerf planner-sotu; do
  body="$work/generate-${model%%-*}.json"
  start_server 8121 --no-step-batching "$@"
  row "$model, off" "http://127.0.0.1:8121/v2/models/$model/generate" "$body"
  stop_server
  start_server 8122 "$@"
  row "$model, on" "http://127.0.0.1:8122/v2/models/$model/generate" "$body"
  runs_line 8122 "$model"
  stop_server
done
