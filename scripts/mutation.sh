#!/usr/bin/env bash
# The sampler TCK's power: PIT mutates Kiln's position samplers (DDIM, DDPM, Euler, DPM-Solver++ and its SDE
# variant, and what they share, dynamic thresholding included) and runs the TCK against each mutant
# (mutation/…/PositionSamplersTckTest). `original`: the TCK's first four checks on each sampler's example config;
# `example`: all nine checks on the example config; `all` (default): all nine on the example and on every
# conformance setting the providers list. The score is in the
# last lines and the report in mutation/target/pit-CHECKS/.
#
#   scripts/mutation.sh [all|example|original] [CLASSES]
# CLASSES (default: every class above) narrows the mutated classes to a comma-separated list of PIT class
# globs, for a run of the classes a change touched, e.g.
#   scripts/mutation.sh all 'dev.kiln.diffusion.samplers.SampleClipping*,dev.kiln.diffusion.samplers.DpmSolverSde*'
# (its report goes to mutation/target/pit-CHECKS-subset/).
# Needs org.pitest:pitest-command-line:1.30.2 (with commons-text 1.14.0) and org.pitest:pitest-junit5-plugin:1.2.3
# in ~/.m2
# (./mvnw dependency:get -Dartifact=…).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
checks="${1:-all}"
m2="$HOME/.m2/repository"
cpfile="$here/mutation/target/test-classpath.txt"
./mvnw -B -q -o test-compile dependency:build-classpath -pl mutation -am -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cpfile"
pit=$(find "$m2/org/pitest" -name '*.jar' -path '*1.30.2*' -o -name 'pitest-junit5-plugin-1.2.3.jar' | tr '\n' ':')
launcher=$(find "$m2/org/junit/platform" -name 'junit-platform-launcher-1.14*.jar' | head -1)
launcher="$launcher:$m2/org/apache/commons/commons-text/1.14.0/commons-text-1.14.0.jar"
launcher="$launcher:$(find "$m2/org/apache/commons/commons-lang3" -name 'commons-lang3-3.18*.jar' | head -1)"
cp="$(cat "$cpfile"):$here/mutation/target/test-classes"
targets=dev.kiln.diffusion.samplers.DdimSampler*,dev.kiln.diffusion.samplers.DdpmSampler*,\
dev.kiln.diffusion.samplers.EulerSampler*,dev.kiln.diffusion.samplers.DpmSolver*,\
dev.kiln.diffusion.samplers.SamplingRun*,dev.kiln.diffusion.samplers.Sigma*,dev.kiln.diffusion.samplers.Denoised*,\
dev.kiln.diffusion.samplers.SampleClipping*,dev.kiln.diffusion.samplers.TimestepSpacing*
report="pit-$checks"
if [ -n "${2:-}" ]; then
  targets="$2"
  report="pit-$checks-subset"
fi
java -cp "$pit$launcher:$cp" org.pitest.mutationtest.commandline.MutationCoverageReport \
  --reportDir "mutation/target/$report" --timestampedReports=false \
  --targetClasses "$targets" --excludedClasses '*Provider,*Config' --targetTests 'dev.kiln.mutation.*' \
  --sourceDirs modules/kiln-diffusion/src/main/java \
  --classPath "$(echo "$cp" | tr ':' ',')" --mutableCodePaths "$here/modules/kiln-diffusion/target/classes" \
  --threads 2 --outputFormats CSV --timeoutConst 8000 \
  --jvmArgs "-Dkiln.tck.checks=$checks,-Djava.awt.headless=true" 2>&1 | tee "mutation/target/$report.log" \
  | grep -E '^>> |Generated|Killed|Ran|mutations|PIT >> (INFO|WARN|SEVERE)' | grep -v 'Verbose' | tail -25
