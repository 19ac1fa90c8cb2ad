#!/usr/bin/env bash
# Load benchmark of `mnist-cnn serve --grpc-port` on loopback: TF Serving's gRPC Predict with ghz,
# and beside it the same image as REST :predict with wrk, on the same server.
#
#   tools/bench/grpc_load.sh [MODEL]       MODEL: SavedModel dir, .keras or .h5 (default: saved_model)
#
# Each request is one Predict of one 28x28x1 MNIST test image (tools/bench/predict_request.json;
# float_val [1, 784] for gRPC). After a 5 s warm-up of each: CONCURRENCY concurrent calls for
# DURATION, ghz's 64 streams on one HTTP/2 connection, wrk's on 64 connections. Prints one line
# each: requests/s, p50 and p99 latency, errors. ghz counts the calls still in flight when DURATION
# ends (at most CONCURRENCY) as errors (Unavailable: its connection closes under them).
#
# Needs ghz (tools/bench/bin/ghz, or on PATH):
#   GOBIN=$PWD/tools/bench/bin go install github.com/bojand/ghz/cmd/ghz@v0.121.0
# and wrk (Debian: apt-get install -y wrk). The request messages come from our own .proto files
# (src/main/proto), which ghz reads.
#
# Environment: DURATION (30s), CONCURRENCY (64), PORT (8599), GRPC_PORT (8598), JAVA_OPTS
# (-Xmx512m), SERVE_OPTS (further serve options; default "--enable-batching", empty for none).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tools/bench/await_server.sh
. tools/bench/await_server.sh

model=${1:-saved_model}
duration=${DURATION:-30s}
concurrency=${CONCURRENCY:-64}
port=${PORT:-8599}
grpc_port=${GRPC_PORT:-8598}
java_opts=${JAVA_OPTS:--Xmx512m}
url="http://127.0.0.1:$port"
body=tools/bench/predict_request.json
cores=$(nproc)

ghz=tools/bench/bin/ghz
[ -x "$ghz" ] || ghz=$(command -v ghz) || {
  echo "ghz not found: GOBIN=\$PWD/tools/bench/bin go install github.com/bojand/ghz/cmd/ghz@v0.121.0" >&2
  exit 1
}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
[ -f target/mnist-cnn.jar ] || mvn -B -q package -DskipTests

log=$(mktemp)
request=$(mktemp)
read -r -a serve_opts <<<"${SERVE_OPTS---enable-batching}"
TF_CPP_MIN_LOG_LEVEL=2 java $java_opts -jar target/mnist-cnn.jar serve --model "$model" \
  --port "$port" --grpc-port "$grpc_port" "${serve_opts[@]}" >"$log" 2>&1 &
server=$!
trap 'status=$?; kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -f "$log" "$request"; exit $status' EXIT

await_server "$url" "$server" "$log"

# The gRPC request: the REST body's image as float_val [1, 784], under the signature's input key.
curl -sf "$url/v1/models/mnist/metadata" | python3 -c '
import json, sys
meta = json.load(sys.stdin)["metadata"]["signature_def"]["signature_def"]
key = next(iter(next(iter(meta.values()))["inputs"]))
image = json.load(open(sys.argv[1]))["instances"][0]
flat = [v for row in image for pixel in row for v in pixel]
print(json.dumps({"model_spec": {"name": "mnist"}, "inputs": {key: {
    "dtype": "DT_FLOAT", "tensor_shape": {"dim": [{"size": 1}, {"size": len(flat)}]},
    "float_val": flat}}}))' "$body" >"$request"

ghz_run() {
  "$ghz" --insecure --import-paths src/main/proto \
    --proto src/main/proto/tensorflow_serving/apis/prediction_service.proto \
    --call tensorflow.serving.PredictionService.Predict -D "$request" \
    -c "$concurrency" -z "$1" --format json "127.0.0.1:$grpc_port"
}

echo "# machine: $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
echo "# server: $(grep -m1 '^Serving' "$log"); options: ${serve_opts[*]}; JAVA_OPTS=$java_opts"
echo "# $("$ghz" --version 2>&1 | head -1 | sed 's/^/ghz /'); wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"

ghz_run 5s >/dev/null   # warm-up, not reported
printf 'grpc concurrency=%-3s ' "$concurrency"
ghz_run "$duration" | python3 -c '
import json, sys
r = json.load(sys.stdin)
p = {d["percentage"]: d["latency"] / 1e6 for d in r.get("latencyDistribution") or []}
codes = r.get("statusCodeDistribution") or {}
errors = sum(n for code, n in codes.items() if code != "OK")
count, rps, p50, p99 = r["count"], r["rps"], p.get(50, float("nan")), p.get(99, float("nan"))
print(f"requests={count} rps={rps:.0f} p50_ms={p50:.2f} p99_ms={p99:.2f} errors={errors} {codes}")'

t=$(( concurrency < cores ? concurrency : cores ))
wrk -t"$t" -c"$concurrency" -d5s -s tools/bench/predict.lua "$url/v1/models/mnist:predict" >/dev/null
printf 'rest concurrency=%-3s ' "$concurrency"
wrk -t"$t" -c"$concurrency" -d"$duration" --latency -s tools/bench/predict.lua \
  "$url/v1/models/mnist:predict" | grep '^RESULT' | sed 's/^RESULT //'
