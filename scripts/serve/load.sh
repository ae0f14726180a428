#!/usr/bin/env bash
# Load test of kiln serve on loopback with hey, bounded in time: infer on the MNIST UNet at several
# concurrencies with batching off and on, generate with and without step-level batching, and the
# server's overhead against calling ONNX Runtime directly. Prints a Markdown table per part.
# Usage: scripts/serve/load.sh [SECONDS_PER_RUN]   (default 15)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
secs=${1:-15}
copy_launcher
write_bodies

# hey_row LABEL C URL BODY : one bounded run, one table row (requests/s, p50, p99 in ms, errors).
hey_row() {
  printf '| %s | %s | %s\n' "$1" "$2" "$(hey_cells "$secs" "$2" 60 "$3" "$4")"
}

echo "## infer, MNIST UNet, one row per request (${secs} s per run)"
echo "| batching | concurrency | requests/s | p50 ms | p99 ms | status codes |"
echo "|---|---|---|---|---|---|"
# overhead_line PORT : the server's own view after a run: mean time from receipt to response against the
# mean ONNX Runtime run (Prometheus counters), so the overhead is measured in the same seconds.
overhead_line() {
  curl -s "http://127.0.0.1:$1/metrics" | awk '
    /^kiln_request_duration_seconds_sum\{endpoint="infer",model="mnist-unet"/ {rs=$2}
    /^kiln_request_duration_seconds_count\{endpoint="infer",model="mnist-unet"/ {rc=$2}
    /^kiln_compute_duration_seconds_total\{model="mnist-unet"/ {cs=$2}
    /^kiln_inference_exec_count_total\{model="mnist-unet"/ {ec=$2}
    /^kiln_inference_count_total\{model="mnist-unet"/ {ic=$2}
    END {printf "server view: %d requests in %d runs (mean batch %.2f); mean request %.3f ms, mean run %.3f ms, overhead %.1f %%\n",
      rc, ec, ic/ec, 1000*rs/rc, 1000*cs/ec, 100*(rs/rc - cs/ec)/(cs/ec)}'
}

start_server 8101 --max-batch-size 1
hey_row off 1 http://127.0.0.1:8101/v2/models/mnist-unet/infer "$work/infer-mnist.json"
overhead_line 8101
for c in 8 32 64; do hey_row off "$c" http://127.0.0.1:8101/v2/models/mnist-unet/infer "$work/infer-mnist.json"; done
stop_server
start_server 8102 --max-batch-size 32
for c in 1 8 32 64; do hey_row "on" "$c" http://127.0.0.1:8102/v2/models/mnist-unet/infer "$work/infer-mnist.json"; done
overhead_line 8102
stop_server
start_server 8109 --max-batch-size 32 --max-queue-delay-us 2000
for c in 1 32; do
  hey_row "on, 2 ms delay" "$c" http://127.0.0.1:8109/v2/models/mnist-unet/infer "$work/infer-mnist.json"
done
stop_server

echo
echo "## the same on the 8-Gaussians MLP (a model whose call costs little beyond its overhead)"
echo "| batching | concurrency | requests/s | p50 ms | p99 ms | status codes |"
echo "|---|---|---|---|---|---|"
start_server 8105 --max-batch-size 1
hey_row off 32 http://127.0.0.1:8105/v2/models/quickstart-8gaussians/infer "$work/infer-gaussians.json"
stop_server
start_server 8106
hey_row on 32 http://127.0.0.1:8106/v2/models/quickstart-8gaussians/infer "$work/infer-gaussians.json"
stop_server
start_server 8107 --no-step-batching
hey_row "generate, step-level off" 16 http://127.0.0.1:8107/v2/models/quickstart-8gaussians/generate \
  "$work/generate-gaussians.json"
stop_server
start_server 8108
hey_row "generate, step-level on" 16 http://127.0.0.1:8108/v2/models/quickstart-8gaussians/generate \
  "$work/generate-gaussians.json"
stop_server

echo
echo "## generate, MNIST UNet, DDIM 20 steps, one sample per request, 16 concurrent requests (${secs} s per run)"
echo "| step-level batching | concurrency | samples/s | p50 ms | p99 ms | status codes |"
echo "|---|---|---|---|---|---|"
start_server 8103 --no-step-batching
hey_row off 16 http://127.0.0.1:8103/v2/models/mnist-unet/generate "$work/generate-mnist.json"
stop_server
start_server 8104
hey_row on 16 http://127.0.0.1:8104/v2/models/mnist-unet/generate "$work/generate-mnist.json"
curl -s http://127.0.0.1:8104/metrics | grep -E '^kiln_inference_(count|exec_count)_total\{model="mnist-unet"' || true
stop_server

echo
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
echo
echo "## ONNX Runtime called directly (same model, same threads), for the overhead"
java -Djava.awt.headless=true --module-path "$work/lib" --add-modules dev.kiln.serve \
  "$here/scripts/serve/DirectRun.java" "$here/model-zoo/mnist-unet/model.onnx" "$secs"
