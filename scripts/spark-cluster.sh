#!/usr/bin/env bash
# A Spark standalone cluster on loopback, used the way a cluster is used: a master and two workers (one core
# and 2 GiB each), a kiln-spark job handed to spark-submit with Kiln's jars in --jars, then everything this
# script started is stopped again. Nothing listens beyond 127.0.0.1.
#
#   scripts/spark-cluster.sh                      # eval of the quickstart model, 20,000 samples
#   scripts/spark-cluster.sh sample --model M --count N --out DIR ...   # any kiln-spark job and its options
#
# Spark comes from modules/kiln-spark/target/spark-home/jars: the Maven artifacts of Spark 4, laid out as a
# Spark distribution's jars/ folder (built by `./mvnw -pl modules/kiln-spark -am package` when missing). Logs go
# to target/spark-cluster/. SPARK_WORKER_CORES and SPARK_WORKER_MEMORY change the workers' size.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$here/modules/kiln-spark/target"
if [ ! -f "$target/kiln-spark.jar" ] || [ ! -d "$target/spark-home/jars" ] || [ ! -d "$target/kiln-lib" ]; then
  echo "spark-cluster: building kiln-spark (./mvnw -pl modules/kiln-spark -am package -DskipTests)..." >&2
  (cd "$here" && nice -n 10 ./mvnw -B -q -pl modules/kiln-spark -am package -DskipTests) >&2
fi

# What Spark needs opened on Java 17 (the list in modules/kiln-spark/pom.xml, spark.java.options).
opens=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)

export SPARK_HOME="$target/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
logs="$target/spark-cluster"
mkdir -p "$logs"
cp="$SPARK_HOME/jars/*"
master_port="${SPARK_MASTER_PORT:-7077}"
master="spark://127.0.0.1:$master_port"
pids=()
stop() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap stop EXIT

nice -n 10 java "${opens[@]}" -Xmx512m -cp "$cp" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$master_port" --webui-port 0 >"$logs/master.log" 2>&1 &
pids+=($!)
for i in 1 2; do
  mkdir -p "$logs/worker-$i"
  nice -n 10 java "${opens[@]}" -Xmx512m -cp "$cp" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores "${SPARK_WORKER_CORES:-1}" --memory "${SPARK_WORKER_MEMORY:-2g}" --webui-port 0 \
    --work-dir "$logs/worker-$i" "$master" >"$logs/worker-$i.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 1 240); do
  [ "$(grep -c 'Registering worker' "$logs/master.log" 2>/dev/null)" -ge 2 ] && break
  sleep 0.5
done
if [ "$(grep -c 'Registering worker' "$logs/master.log" 2>/dev/null)" -lt 2 ]; then
  echo "spark-cluster: the two workers did not register with $master in 120 s; see $logs" >&2
  exit 1
fi
echo "spark-cluster: master $master with 2 workers (logs in $logs)" >&2

if [ $# -eq 0 ]; then
  set -- eval --model "$here/model-zoo/quickstart-8gaussians/model.onnx" --sampler ddim --steps 20 --count 20000 \
    --partitions 4
fi
jars="$(ls "$target"/kiln-lib/*.jar | tr '\n' ',')"
start=$(date +%s.%N)
set +e
nice -n 10 java "${opens[@]}" -cp "$cp" org.apache.spark.deploy.SparkSubmit --master "$master" \
  --deploy-mode client --name "kiln-spark $1" --class dev.kiln.spark.KilnSpark \
  --total-executor-cores $((2 * ${SPARK_WORKER_CORES:-1})) --executor-memory 1g \
  --conf spark.ui.enabled=false --conf spark.driver.host=127.0.0.1 \
  --jars "${jars%,}" "$target/kiln-spark.jar" "$@" 2> >(grep -v ' INFO ' >&2)
status=$?
echo "spark-cluster: the job took $(echo "$(date +%s.%N) - $start" | bc) s from spark-submit to exit ($status)" >&2
exit $status
