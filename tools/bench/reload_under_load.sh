#!/usr/bin/env bash
# Hot reload under load: `mnist-cnn model-server` on a base path while wrk keeps CONNECTIONS
# connections posting TF Serving :predict calls (tools/bench/predict.lua) and, where ghz is
# installed (tools/bench/bin/ghz, see grpc_load.sh), ghz keeps CONNECTIONS gRPC Predict streams
# going at the same time, and VERSIONS new
# versions are copied in during the run, spread over it: each copied to a temporary name and moved
# into place, as a deployment should, except one (the middle one) copied in place with a plain
# `cp -r`, which the server must not load half-written. Versions alternate between the shipped
# model and models/augmented, so consecutive versions answer differently.
#
#   tools/bench/reload_under_load.sh
#
# Reports wrk's total requests, its socket errors and non-2xx answers (all should be 0), ghz's
# status codes (it cancels the calls in flight when its time is up: those end CANCELLED on the
# server and Unavailable in ghz), the server's own TF Serving request counts by status, the
# versions seen answering during the run (the metadata endpoint, sampled every 0.2 s), and the
# final model_version_status.
#
# Environment: DURATION (seconds, 60), CONNECTIONS (64), VERSIONS (10), PORT (8598), GRPC_PORT
# (8597), POLL
# (--file_system_poll_wait_seconds, 1), JAVA_OPTS (-Xmx1g), SERVER_OPTS (further model-server flags;
# default "--enable_batching").
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tools/bench/await_server.sh
. tools/bench/await_server.sh

duration=${DURATION:-60}
connections=${CONNECTIONS:-64}
versions=${VERSIONS:-10}
port=${PORT:-8598}
grpc_port=${GRPC_PORT:-8597}
poll=${POLL:-1}
java_opts=${JAVA_OPTS:--Xmx1g}
read -r -a server_opts <<<"${SERVER_OPTS---enable_batching}"
url="http://127.0.0.1:$port"
predict="$url/v1/models/mnist:predict"
cores=$(nproc)
threads=$(( connections < cores ? connections : cores ))

command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
[ -f target/mnist-cnn.jar ] || mvn -B -q package -DskipTests

work=$(mktemp -d)
base="$work/mnist"
mkdir -p "$base"
cp -r saved_model "$base/1"
log="$work/server.log"
TF_CPP_MIN_LOG_LEVEL=2 java $java_opts -jar target/mnist-cnn.jar model-server \
  --rest_api_port="$port" --port="$grpc_port" --host=127.0.0.1 --model_name=mnist --model_base_path="$base" \
  --file_system_poll_wait_seconds="$poll" "${server_opts[@]}" >"$log" 2>&1 &
server=$!
sampler=""
cleanup() {
  status=$?
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  kill "$server" 2>/dev/null
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

await_server "$url" "$server" "$log"
curl -sf "$predict" -d @tools/bench/predict_request.json | grep -q '"predictions"' \
  || { echo "predict failed" >&2; cat "$log" >&2; exit 1; }

echo "# machine: $cores cores; server: $(grep -m1 '^Serving' "$log"); options: ${server_opts[*]}"
echo "# $connections connections for ${duration}s, $versions new versions, poll ${poll}s"

# Which version answers, sampled from the metadata endpoint while the load runs.
(
  while :; do
    curl -s "$url/v1/models/mnist/metadata" | grep -o '"version":"[0-9]*"' | head -1 || true
    sleep 0.2
  done
) >"$work/versions.txt" &
sampler=$!

wrk -t"$threads" -c"$connections" -d"${duration}s" -s tools/bench/predict.lua "$predict" \
  >"$work/wrk.txt" 2>&1 &
load=$!
ghz=tools/bench/bin/ghz
[ -x "$ghz" ] || ghz=$(command -v ghz || true)
grpc_load=""
if [ -n "$ghz" ]; then
  # The REST body's image as float_val [1, 784] under the signature's input key.
  python3 -c '
import json, sys
image = json.load(open(sys.argv[1]))["instances"][0]
flat = [v for row in image for pixel in row for v in pixel]
print(json.dumps({"model_spec": {"name": "mnist"}, "inputs": {"input_layer": {
    "dtype": "DT_FLOAT", "tensor_shape": {"dim": [{"size": 1}, {"size": len(flat)}]},
    "float_val": flat}}}))' tools/bench/predict_request.json >"$work/request.json"
  "$ghz" --insecure --import-paths src/main/proto \
    --proto src/main/proto/tensorflow_serving/apis/prediction_service.proto \
    --call tensorflow.serving.PredictionService.Predict -D "$work/request.json" \
    -c "$connections" -z "${duration}s" --format json "127.0.0.1:$grpc_port" >"$work/ghz.json" &
  grpc_load=$!
fi

gap=$(awk -v d="$duration" -v n="$versions" 'BEGIN { printf "%.2f", d / (n + 1) }')
middle=$(( versions / 2 + 2 ))
for v in $(seq 2 $(( versions + 1 ))); do
  sleep "$gap"
  model=saved_model
  [ $(( v % 2 )) -eq 0 ] && model=models/augmented
  if [ "$v" -eq "$middle" ]; then
    cp -r "$model" "$base/$v"                      # in place: half-written while it copies
    how="cp -r in place"
  else
    cp -r "$model" "$base/.incoming-$v" && mv "$base/.incoming-$v" "$base/$v"
    how="cp -r + mv"
  fi
  echo "# t=$(awk -v g="$gap" -v i=$(( v - 1 )) 'BEGIN { printf "%.0f", g * i }')s version $v ($model, $how)"
done
wait "$load"
[ -n "$grpc_load" ] && wait "$grpc_load"
kill "$sampler" 2>/dev/null || true
sampler=""

result=$(grep '^RESULT' "$work/wrk.txt" | sed 's/^RESULT //') || { cat "$work/wrk.txt" >&2; exit 1; }
echo "$result"
non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$work/wrk.txt" | grep -o '[0-9]*$' || echo 0)
socket=$(grep -o 'Socket errors: .*' "$work/wrk.txt" || echo "Socket errors: none")
echo "total_requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$result") non_2xx=$non2xx $socket"
if [ -n "$grpc_load" ]; then
  python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print("grpc_requests=%d grpc_status=%s" % (r["count"], r.get("statusCodeDistribution")))' "$work/ghz.json"
fi
echo "server_request_count: $(curl -s "$url/monitoring/prometheus/metrics" \
  | grep '^:tensorflow:serving:request_count' | sed 's/^:tensorflow:serving:request_count//' \
  | paste -sd' ' -)"
echo "versions_seen=$(grep -o '[0-9]*' "$work/versions.txt" | awk '!seen[$0]++' | paste -sd, -)"
echo "final_status=$(curl -s "$url/v1/models/mnist")"
