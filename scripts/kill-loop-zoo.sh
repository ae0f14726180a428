#!/usr/bin/env bash
# Crash safety of `kiln zoo publish`: publish a small model into a zoo folder again and again, kill -9 each
# publish after a random delay, and check what a reader finds: `kiln zoo verify NAME --hashes-only` (the
# folder's files agree with its SHA256SUMS; the command first finishes a swap the kill interrupted) and
# that the published model.onnx loads (`kiln sample`). The two runs it alternates between differ in their
# recipes' descriptions only, so their model.onnx (whose metadata holds the recipe) and SHA256SUMS differ,
# and a folder mixing the two publishes fails verify. Prints one line per round and a summary; exits 1 if
# any check failed.
#
# The swap window (from the seal to the last rename, see ZooSwap) lasts milliseconds, so a random kill almost
# never lands there. The publishes are run with ZooSwap's fault-injection property kiln.zoo.swap-pause-ms =
# SWAP_PAUSE_MS (default 400), which pauses that long after the seal and again between the swap's two renames,
# and half the rounds (1, 4, 5, 8, 9, …: each run in turn, so the swap replaces the other run's folder) aim at
# the window: it waits for the sealed .NAME.publish-ready folder
# to appear and kills after a random 0 to 2 x SWAP_PAUSE_MS ms, so it lands before the first rename or between
# the two. After such a kill the next zoo command must roll the swap forward: the folder then holds the new
# run's files exactly (its SHA256SUMS equal that run's uncut publish). The other rounds kill at random as before.
#
#   scripts/kill-loop-zoo.sh [SECONDS] [WORK_DIR]     (default 600 s of rounds, a fresh temporary folder)
#   KILL_LATEST=1.4 scripts/kill-loop-zoo.sh ...       (latest random kill at 1.4 times a publish, default 1)
#   SWAP_PAUSE_MS=0 scripts/kill-loop-zoo.sh ...       (no pause, no aimed rounds: random kills only)
#
# Runs the CLI jar built by `./mvnw -q -B package -DskipTests -pl modules/kiln-cli -am` (built here if absent).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
budget="${1:-600}"
work="${2:-$(mktemp -d -t kiln-kill-zoo-XXXXXX)}"
cli="$here/modules/kiln-cli/target"
if [ ! -f "$cli/kiln-cli.jar" ]; then
  (cd "$here" && ./mvnw -q -B package -DskipTests -pl modules/kiln-cli -am) || exit 2
fi
pause="${SWAP_PAUSE_MS:-400}"
kiln() {
  exec java -Djava.awt.headless=true -Dguice_bytecode_gen_option=DISABLED ${KILN_PROPS:-} \
    --module-path "$cli/lib:$cli/kiln-cli.jar" -m dev.kiln.cli/dev.kiln.cli.KilnCommand "$@"
}
publish() {
  KILN_PROPS="-Dkiln.zoo.swap-pause-ms=$pause" kiln zoo publish tiny --zoo "$zoo" --run "$1"
}
mkdir -p "$work"
zoo="$work/zoo"
folder="$zoo/tiny"
mkdir -p "$folder"
recipe() {
  cat <<JSON
{"name": "tiny", "description": "$1", "seed": 0,
 "task": {"type": "diffusion", "data": "8gaussians", "batch_size": 64,
          "schedule": {"num_train_timesteps": 100, "beta_schedule": "linear", "prediction_type": "epsilon"}},
 "architecture": {"type": "mlp-denoiser", "hidden": 16, "depth": 1},
 "trainer": {"steps": 30}}
JSON
}
recipe "the zoo's" > "$folder/recipe.json"
cat > "$folder/card.json" <<'JSON'
{"name": "tiny", "method": "a tiny DDPM for the zoo kill loop",
 "models": [{"file": "model.onnx", "recipe": "recipe.json"}],
 "evaluation": {"type": "sample-quality", "model": "model.onnx", "sampler": "ddim", "steps": 5, "count": 300}}
JSON
printf '# tiny\n\nA tiny model, published and killed in a loop.\n' > "$folder/README.md"
for r in a b; do
  recipe "run $r" > "$work/recipe-$r.json"
  (kiln train "$work/recipe-$r.json" -o "$work/run-$r" --threads 1) >"$work/train-$r.log" 2>&1 || {
    echo "training run $r failed: $(tail -1 "$work/train-$r.log")"; exit 2; }
done
# one uncut publish of each run: the folder starts complete, each run's SHA256SUMS is known (a publish is
# deterministic), and the shorter duration bounds the random delays (the first JVM start reads everything from disk)
took=
for r in b a; do
  start=$(date +%s.%N)
  (publish "$work/run-$r") >"$work/publish.log" 2>&1 || {
    echo "the first publish of run $r failed: $(tail -1 "$work/publish.log")"; exit 2; }
  t=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b - a}')
  took=$(awk -v a="${took:-$t}" -v b="$t" 'BEGIN{printf "%.2f", a < b ? a : b}')
  cp "$folder/SHA256SUMS" "$work/sums-$r"
done
# the JVM's start takes most of a publish, so delays are drawn from its later part: 0.4 to KILL_LATEST times it
latest="${KILL_LATEST:-1}"
echo "setup: one publish takes ${took} s (with a swap pause of $pause ms, twice); random delays drawn from" \
  "$(awk -v t="$took" -v l="$latest" 'BEGIN{printf "%.2f-%.2f", 0.4 * t, l * t}') s"
end=$(( $(date +%s) + budget ))
i=0 kills=0 bad=0 missing=0 recovered=0 changed=0 left=0 aimed=0 inside=0 rolled=0
last=$(sha256sum "$folder/SHA256SUMS" | cut -c1-64)
while [ "$(date +%s)" -lt "$end" ]; do
  i=$((i + 1))
  [ $((i % 2)) -eq 1 ] && r=b || r=a
  (publish "$work/run-$r") >"$work/publish.log" 2>&1 &
  pid=$!
  if [ "$pause" -gt 0 ] && [ $((i % 4)) -lt 2 ]; then
    # aimed at the swap window: wait for the seal, then kill within the two pauses
    aim="aimed"; aimed=$((aimed + 1))
    while [ ! -e "$zoo/.tiny.publish-ready" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
    sleep "$(awk -v s="$RANDOM" -v p="$pause" 'BEGIN{srand(s); printf "%.3f", 2 * p * rand() / 1000}')"
  else
    aim="random"
    sleep "$(awk -v s="$RANDOM" -v t="$took" -v l="$latest" 'BEGIN{srand(s); printf "%.2f", t * (0.4 + (l - 0.4) * rand())}')"
  fi
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); killed=killed; else killed="finished first"; fi
  wait "$pid" 2>/dev/null
  # what the kill left, before any zoo command recovers it
  state="folder whole"
  [ -d "$folder" ] || { state="folder missing (killed between the renames)"; missing=$((missing + 1)); }
  window=no
  if [ -e "$zoo/.tiny.publish-ready" ] || [ -e "$zoo/.tiny.old" ]; then
    state="$state, swap to finish"; recovered=$((recovered + 1)); window=yes; inside=$((inside + 1))
  fi
  if (kiln zoo verify tiny --zoo "$zoo" --hashes-only) >"$work/verify.log" 2>&1; then
    check="verify ok"
  else
    check="VERIFY FAILS: $(grep -v '^ *$' "$work/verify.log" | tail -1)"; bad=$((bad + 1))
  fi
  if (kiln sample "$folder/model.onnx" -n 4 -o "$work/s.png") >"$work/sample.log" 2>&1; then
    check="$check, model loads"
  else
    check="$check, MODEL FAILS TO LOAD: $(tail -1 "$work/sample.log")"; bad=$((bad + 1))
  fi
  if [ "$window" = yes ]; then
    # killed after the seal: the next command must have rolled the swap forward to this round's run
    if cmp -s "$folder/SHA256SUMS" "$work/sums-$r" && [ ! -e "$zoo/.tiny.publish-ready" ] \
      && [ ! -e "$zoo/.tiny.old" ]; then
      check="$check, rolled forward to run $r"; rolled=$((rolled + 1))
    else
      check="$check, NOT ROLLED FORWARD to run $r"; bad=$((bad + 1))
    fi
  elif ! cmp -s "$folder/SHA256SUMS" "$work/sums-a" && ! cmp -s "$folder/SHA256SUMS" "$work/sums-b"; then
    check="$check, SHA256SUMS OF NEITHER RUN"; bad=$((bad + 1))
  fi
  now=$(sha256sum "$folder/SHA256SUMS" 2>/dev/null | cut -c1-64)
  if [ "$now" != "$last" ]; then published="SHA256SUMS changed"; changed=$((changed + 1)); else published="SHA256SUMS as before"; fi
  last="$now"
  hidden=$(find "$zoo" -mindepth 1 -maxdepth 1 -name '.*' | wc -l)
  echo "round $i ($r, $aim, $killed): $state -> $check; $published; $hidden staging folders left"
done
left=$(find "$zoo" -mindepth 1 -maxdepth 1 -name '.*' | wc -l)
tmp=$(find "$zoo" -name '.kiln-*' | wc -l)
echo "summary: $i rounds ($aimed aimed at the swap window), $kills publishes killed with SIGKILL, $inside kills" \
  "inside the swap window (after the seal, before the last rename) of which $rolled rolled forward by the next" \
  "command, $bad checks failed, $missing times the folder was" \
  "missing right after the kill and $recovered swaps finished by the next command, $changed rounds whose SHA256SUMS" \
  "changed (the other run's folder in place), $left staging folders and $tmp temporary files left at the end (never read)"
[ "$bad" -eq 0 ]
