#!/usr/bin/env bash
# Crash safety: kill -9 `kiln train` and `kiln export` at random points, many times, and check that every
# file they leave loads: the run folder's checkpoint (through `kiln export`, which reads it and its recipe)
# and the exported model (through `kiln sample`). Prints one line per kill and a summary; exits 1 if any file
# failed to load.
#
#   scripts/kill-loop.sh [ITERATIONS] [WORK_DIR]     (default 30, a fresh temporary folder)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
kiln="$here/kiln"
n="${1:-30}"
work="${2:-$(mktemp -d -t kiln-kill-XXXXXX)}"
mkdir -p "$work"
cat > "$work/recipe.json" <<'JSON'
{"name": "kill-loop", "seed": 9, "task": {"type": "diffusion", "data": "swissroll", "batch_size": 128},
 "architecture": {"type": "mlp-denoiser", "hidden": 64, "depth": 2},
 "trainer": {"steps": 200000, "log_every": 100, "checkpoint_every": 37, "checkpoint_seconds": 0.2, "ema_decay": 0.99}}
JSON
"$kiln" --version >/dev/null  # builds the CLI once, before any timing
bad=0 kills=0
run="$work/run"
for i in $(seq 1 "$n"); do
  # train: resume the same run folder each time, killed after a random 3-12 s (the JVM takes 2-3 s to start)
  "$kiln" train "$work/recipe.json" -o "$run" --threads 1 >"$work/train.log" 2>&1 &
  pid=$!
  sleep "$(awk -v s="$RANDOM" 'BEGIN{srand(s); printf "%.2f", 3 + 9 * rand()}')"
  kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
  wait "$pid" 2>/dev/null
  if [ -f "$run/checkpoint.safetensors" ]; then
    if "$kiln" export "$run" -o "$work/check.onnx" >"$work/export.log" 2>&1; then
      state="checkpoint loads"
    else
      state="CHECKPOINT FAILS TO LOAD: $(tail -1 "$work/export.log")"; bad=$((bad + 1))
    fi
  else
    state="no checkpoint yet"
  fi
  # export: killed after a random 1.5-5 s; the model file, if there, must load
  rm -f "$work/model.onnx"
  "$kiln" export "$run" -o "$work/model.onnx" >/dev/null 2>&1 &
  pid=$!
  sleep "$(awk -v s="$RANDOM" 'BEGIN{srand(s); printf "%.2f", 1.5 + 3.5 * rand()}')"
  kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
  wait "$pid" 2>/dev/null
  if [ -f "$work/model.onnx" ]; then
    if "$kiln" sample "$work/model.onnx" -n 4 -o "$work/s.png" >"$work/sample.log" 2>&1; then
      model="model loads"
    else
      model="MODEL FAILS TO LOAD: $(tail -1 "$work/sample.log")"; bad=$((bad + 1))
    fi
  else
    model="no model (killed before the move)"
  fi
  echo "kill $i: train -> $state; export -> $model"
done
left=$(find "$work" -name '.kiln-*' | wc -l)
echo "summary: $n rounds, $kills processes killed with SIGKILL, $bad files that failed to load, $left temporary files left behind (never read)"
[ "$bad" -eq 0 ]
