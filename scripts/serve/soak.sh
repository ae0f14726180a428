#!/usr/bin/env bash
# Soak test of kiln serve on loopback: steady infer and generate load for MINUTES minutes (default 30)
# with hey, the server's resident memory sampled every minute, then the error counts and a plot.
# Usage: scripts/serve/soak.sh [MINUTES] [OUT_DIR]   (writes OUT_DIR/soak-rss.csv, soak-rss.png, soak.txt)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
minutes=${1:-30}
out=${2:-$work/soak}
mkdir -p "$out"
copy_launcher
write_bodies
start_server 8201
echo "minute,rss_kb" > "$out/soak-rss.csv"
echo "0,$(ps -o rss= -p "$server_pid" | tr -d ' ')" >> "$out/soak-rss.csv"
# steady load: 4 infer clients at 10 requests/s each, 2 generate clients at one request every 2 s each
hey -z "${minutes}m" -c 4 -q 10 -t 60 -m POST -T application/json -D "$work/infer-mnist.json" \
  http://127.0.0.1:8201/v2/models/mnist-unet/infer > "$out/hey-infer.txt" &
infer_pid=$!
hey -z "${minutes}m" -c 2 -q 0.5 -t 60 -m POST -T application/json -D "$work/generate-mnist.json" \
  http://127.0.0.1:8201/v2/models/mnist-unet/generate > "$out/hey-generate.txt" &
generate_pid=$!
for m in $(seq 1 "$minutes"); do
  sleep 60
  echo "$m,$(ps -o rss= -p "$server_pid" | tr -d ' ')" >> "$out/soak-rss.csv"
done
wait "$infer_pid" "$generate_pid"
curl -s http://127.0.0.1:8201/metrics > "$out/metrics.txt"
stop_server
{
  echo "soak: ${minutes} min on $(nproc) cores, $(date -u +%FT%TZ)"
  for f in infer generate; do
    echo "## $f"
    grep -E "Requests/sec|Average|Slowest| 50% in| 99% in" "$out/hey-$f.txt"
    sed -n '/Status code distribution/,/^$/p' "$out/hey-$f.txt"
    sed -n '/Error distribution/,/^$/p' "$out/hey-$f.txt"
  done
  echo "## server failures"
  grep '^kiln_request_failure_total' "$out/metrics.txt" || echo "none"
  echo "## resident memory (kB) per minute"
  tr '\n' ' ' < "$out/soak-rss.csv"; echo
} | tee "$out/soak.txt"
java -Djava.awt.headless=true --module-path "$work/lib" --add-modules dev.kiln.viz \
  "$here/scripts/serve/PlotRss.java" "$out/soak-rss.csv" "$out/soak-rss.png"
