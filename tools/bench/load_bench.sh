#!/usr/bin/env bash
# Load benchmark of `mnist-cnn serve` on loopback, with wrk (Debian: apt-get install -y wrk).
#
#   tools/bench/load_bench.sh [MODEL]      MODEL: SavedModel dir, .keras or .h5 (default: saved_model)
#
# Each request is one TF Serving :predict call with one 28x28x1 MNIST test image
# (tools/bench/predict_request.json). After a 10 s warm-up: 1, 8 and 64 concurrent connections,
# each first for LEVEL_WARMUP unreported (the JIT recompiles for the new load), then for DURATION
# (requests/s, p50/p99 latency, errors); then at least MEMORY_REQUESTS more requests in rounds of
# MEMORY_ROUND at 8 connections, the server's resident memory read after each round.
#
# Environment: DURATION (30s), CONNECTIONS ("1 8 64"), LEVEL_WARMUP (5s), MEMORY_REQUESTS
# (100000), MEMORY_ROUND (2s), PORT (8599), SERVER_THREADS (server default), JAVA_OPTS (-Xmx512m),
# SERVE_OPTS (further serve options; default "--enable-batching", empty: without batching).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tools/bench/await_server.sh
. tools/bench/await_server.sh

model=${1:-saved_model}
duration=${DURATION:-30s}
connections=${CONNECTIONS:-1 8 64}
memory_requests=${MEMORY_REQUESTS:-100000}
port=${PORT:-8599}
java_opts=${JAVA_OPTS:--Xmx512m}
url="http://127.0.0.1:$port"
predict="$url/v1/models/mnist:predict"
lua=tools/bench/predict.lua
body=tools/bench/predict_request.json
cores=$(nproc)

command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }
[ -f target/mnist-cnn.jar ] || mvn -B -q package -DskipTests

log=$(mktemp)
threads_opt=()
[ -n "${SERVER_THREADS:-}" ] && threads_opt=(--threads "$SERVER_THREADS")
read -r -a serve_opts <<<"${SERVE_OPTS---enable-batching}"
threads_opt+=("${serve_opts[@]}")
TF_CPP_MIN_LOG_LEVEL=2 java $java_opts -jar target/mnist-cnn.jar serve --model "$model" \
  --port "$port" "${threads_opt[@]}" >"$log" 2>&1 &
server=$!
trap 'status=$?; kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -f "$log"; exit $status' EXIT

await_server "$url" "$server" "$log"
curl -sf "$predict" -d @"$body" | grep -q '"predictions"' || { echo "predict failed" >&2; exit 1; }
batch_runs() { curl -s "$url/monitoring/prometheus/metrics" | awk '$1 == "mnist_batch_runs_total" {print $2}'; }

# The launcher JVM ($!) sets TensorFlow's environment and runs the server as its child: memory
# and CPU time are the child's.
jvm=$(pgrep -P "$server" java || echo "$server")
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$jvm/status"; }
# CPU time the server has used, in clock ticks (user + system): per request, a figure that other
# load on the machine does not change much.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$jvm/stat"; }
ticks_per_s=$(getconf CLK_TCK)

echo "# machine: $cores cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))," \
  "$(free -g | awk '/^Mem/ {print $2}') GiB RAM, $(uname -sr)"
echo "# java: $(java -version 2>&1 | head -1); wrk: $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
echo "# server: $(grep -m1 '^Serving' "$log"); options: ${threads_opt[*]}; JAVA_OPTS=$java_opts"
echo "# rss after start: $(rss_kb) kB"

wrk -t"$cores" -c8 -d10s -s "$lua" "$predict" >/dev/null   # warm-up, not reported

for c in $connections; do
  t=$(( c < cores ? c : cores ))
  # At this level first: the JIT recompiles what the new load's type profiles change (measured at 1
  # connection right after the warm-up at 8: C2 took 2 s of CPU in the next 10 s).
  wrk -t"$t" -c"$c" -d"${LEVEL_WARMUP:-5s}" -s "$lua" "$predict" >/dev/null
  printf 'connections=%-3s ' "$c"
  runs_before=$(batch_runs)
  cpu_before=$(cpu_ticks)
  line=$(wrk -t"$t" -c"$c" -d"$duration" --latency -s "$lua" "$predict" | grep '^RESULT' \
    | sed 's/^RESULT //')
  n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line")
  cpu_us=$(( ($(cpu_ticks) - cpu_before) * 1000000 / ticks_per_s / (n > 0 ? n : 1) ))
  echo "$line server_cpu_us_per_request=$cpu_us session_runs=$(( $(batch_runs) - runs_before ))"
done

# wrk runs for a duration, not a request count: rounds of MEMORY_ROUND until the total is reached.
memory_round=${MEMORY_ROUND:-2s}
echo "# memory: rounds of $memory_round at 8 connections until $memory_requests requests"
echo "before: rss=$(rss_kb) kB"
total=0
while [ "$total" -lt "$memory_requests" ]; do
  line=$(wrk -t"$cores" -c8 -d"$memory_round" -s "$lua" "$predict" | grep '^RESULT')
  n=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$line")
  errors=$(sed 's/.*errors=\([0-9]*\).*/\1/' <<<"$line")
  total=$(( total + n ))
  echo "after $total requests: rss=$(rss_kb) kB errors=$errors"
done
