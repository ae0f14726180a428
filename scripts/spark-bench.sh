#!/usr/bin/env bash
# The numbers of docs/scale-out.md: N samples of the quickstart model (DDIM, 20 steps) by `kiln sample` on one
# core, then by a kiln-spark sample job on a loopback standalone cluster of two one-core workers
# (scripts/spark-cluster.sh), then a check that both wrote the same bits. Everything under nice.
#   scripts/spark-bench.sh [N]     (default 200000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-200000}"
export SPARK_LOCAL_IP=127.0.0.1
out="$here/modules/kiln-spark/target/spark-bench"
rm -rf "$out"
mkdir -p "$out"
model="$here/model-zoo/quickstart-8gaussians/model.onnx"
cli="$here/modules/kiln-cli/target"
spark="$here/modules/kiln-spark/target"
if [ ! -f "$cli/kiln-cli.jar" ] || [ ! -f "$spark/kiln-spark.jar" ]; then
  (cd "$here" && nice -n 10 ./mvnw -B -q -pl modules/kiln-spark -am package -DskipTests) >&2
fi
echo "== kiln sample, one machine, one ONNX Runtime thread" >&2
start=$(date +%s.%N)
nice -n 10 java -Djava.awt.headless=true -Dguice_bytecode_gen_option=DISABLED \
  --module-path "$cli/lib:$cli/kiln-cli.jar" -m dev.kiln.cli/dev.kiln.cli.KilnCommand sample "$model" \
  --sampler ddim --steps 20 -n "$n" --seed 0 --threads 1 --device cpu -o "$out/kiln.png" --raw "$out/kiln.safetensors"
echo "kiln sample: $(echo "$(date +%s.%N) - $start" | bc) s wall" >&2
echo "== kiln-spark sample on the standalone cluster" >&2
"$here/scripts/spark-cluster.sh" sample --model "$model" --sampler ddim --steps 20 --count "$n" --seed 0 \
  --partitions 8 --out "$out/cluster.parquet"
echo "== comparison" >&2
nice -n 10 java -XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false \
  -Dio.netty.tryReflectionSetAccessible=true \
  -cp "$spark/spark-home/jars/*:$spark/kiln-lib/*:$spark/kiln-spark.jar" \
  "$here/scripts/SparkSamplesEqual.java" "$out/cluster.parquet" "$out/kiln.safetensors" 2> >(grep -v ' INFO ' >&2)
