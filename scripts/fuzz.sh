#!/usr/bin/env bash
# Fuzzes Kiln's readers of user files and the server's request parsing with Jazzer, one target after another,
# each for its FUZZ_TIME (3 minutes for safetensors, onnx, recipe, config in ReaderFuzzTest; 1 minute for infer, binaryInfer,
# generate in RequestFuzzTest, whose corpus is fuzz/src/test/resources/dev/kiln/serve/RequestFuzzTestInputs). The normal build only replays the committed corpus in
# fuzz/src/test/resources/dev/kiln/fuzz/ReaderFuzzTestInputs; a finding is written there as crash-* and fails
# this script. Inputs the fuzzer found interesting are kept in fuzz/.cifuzz-corpus (not committed).
#
#   scripts/fuzz.sh [TARGET...]      (default: all seven)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(safetensors onnx recipe config infer binaryInfer generate)
status=0
for t in "${targets[@]}"; do
  log="fuzz/target/fuzz-$t.log"
  case "$t" in infer|binaryInfer|generate) cls=RequestFuzzTest; src=fuzz/src/test/java/dev/kiln/serve/$cls.java ;;
    *) cls=ReaderFuzzTest; src=fuzz/src/test/java/dev/kiln/fuzz/$cls.java ;; esac
  echo "fuzzing $t for $(sed -nE 's/.*FUZZ_TIME = "([^"]+)".*/\1/p' "$src")..."
  # -am: Kiln's own modules from this tree, never a SNAPSHOT another checkout installed
  if JAZZER_FUZZ=1 ./mvnw -B -o test -pl fuzz -am -Dtest="$cls#$t" -Dsurefire.failIfNoSpecifiedTests=false \
      >"$log" 2>&1; then
    verdict="no findings"
  else
    verdict="FINDINGS (see $log)"; status=1
  fi
  echo "$t: $(grep -E '^Done [0-9]+ runs' "$log" | tail -1); $(grep -E '#[0-9]+[[:space:]]+DONE' "$log" | tail -1 \
    | sed -E 's/.*(cov: [0-9]+).*(corp: [^ ]+).*/\1 edges, \2 corpus/'); $verdict"
done
exit $status
