# Shared by the serve load test and soak: a copy of the built launcher's module path (so rebuilding
# the checkout cannot pull jars from under a running server), request bodies, and server start/stop.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${KILN_SERVE_WORK:-/tmp/kiln-serve-bench}"
mkdir -p "$work"

copy_launcher() {
  [ -f "$here/modules/kiln-cli/target/kiln-cli.jar" ] || (cd "$here" && ./kiln --version >/dev/null)
  rm -rf "$work/lib" && cp -r "$here/modules/kiln-cli/target/lib" "$work/lib"
  cp "$here/modules/kiln-cli/target/kiln-cli.jar" "$work/lib/"
}

# Request bodies: one MNIST UNet row of noise at timestep 500, label 3; one 8-Gaussians row; generate
# with DDIM 20 steps, one sample, for both.
write_bodies() {
  python3 - "$work" <<'PY'
import json, random, sys
random.seed(0)
x = [round(random.gauss(0, 1), 6) for _ in range(784)]
body = {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 1, 28, 28], "data": x},
                   {"name": "t", "datatype": "FP32", "shape": [1], "data": [500.0]},
                   {"name": "label", "datatype": "INT64", "shape": [1], "data": [3]}]}
open(sys.argv[1] + "/infer-mnist.json", "w").write(json.dumps(body))
open(sys.argv[1] + "/generate-mnist.json", "w").write(json.dumps({"sampler": "ddim", "steps": 20, "label": 7}))
small = {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 2], "data": [0.5, -0.25]},
                    {"name": "t", "datatype": "FP32", "shape": [1], "data": [500.0]}]}
open(sys.argv[1] + "/infer-gaussians.json", "w").write(json.dumps(small))
open(sys.argv[1] + "/generate-gaussians.json", "w").write(json.dumps({"sampler": "ddim", "steps": 20}))
PY
}

# start_server PORT ARGS... : starts kiln serve on the zoo and waits until it is ready.
start_server() {
  local port=$1; shift
  java -Djava.awt.headless=true -Dguice_bytecode_gen_option=DISABLED ${JAVA_OPTS:-} --module-path "$work/lib" \
    -m dev.kiln.cli/dev.kiln.cli.KilnCommand serve "$here/model-zoo" --port "$port" "$@" \
    --access-log /dev/null > "$work/server-$port.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  echo "server on $port did not become ready; see $work/server-$port.log" >&2
  return 1
}

stop_server() {
  kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
}

# hey_cells SECONDS C TIMEOUT URL BODY : one bounded POST run of hey at concurrency C, as the cells of a
# Markdown row: requests/s | p50 ms | p99 ms |status codes.
hey_cells() {
  local out rps p50 p99 codes
  out=$(hey -z "$1s" -c "$2" -t "$3" -m POST -T application/json -D "$5" "$4")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '/ 50% in/ {print $3 * 1000}' <<<"$out")
  p99=$(awk '/ 99% in/ {print $3 * 1000}' <<<"$out")
  codes=$(awk '/Status code distribution/ {f=1; next} f && /\[/ {printf "%s%s", sep, $0; sep=","}' <<<"$out" \
    | tr -s ' ')
  printf '%s | %s | %s |%s' "$rps" "$p50" "$p99" "$codes"
}
