#!/usr/bin/env bash
# Two builds of `mnist-cnn serve` at once, wrk alternating between them in short windows, so that
# the shared machine's slow and fast minutes fall on both (sequential runs of load_bench.sh drift
# by 10-40% between runs of one build). Needs wrk (apt-get install -y wrk).
#
#   tools/bench/paired_load_bench.sh A.jar B.jar [MODEL]
#
# Each jar must sit beside target/lib (its Class-Path), e.g. target/before.jar built from another
# commit. Both servers are warmed alike (15 s at 64 connections, 5 s at 1), then for each
# connection count: one unreported window on each, then ROUNDS pairs of windows, A then B.
# Prints one line per window: connections, build, round, requests/s, p50, p99, max.
#
# Environment: CONNECTIONS ("1 64"), ROUNDS (5), WINDOW (6s), PORTS ("8598 8599"),
# SERVE_OPTS (default "--enable-batching"), JAVA_OPTS (-Xmx512m).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tools/bench/await_server.sh
. tools/bench/await_server.sh

[ $# -ge 2 ] || { echo "usage: $0 A.jar B.jar [MODEL]" >&2; exit 2; }
jars=("$1" "$2")
model=${3:-saved_model}
read -r -a ports <<<"${PORTS:-8598 8599}"
read -r -a serve_opts <<<"${SERVE_OPTS---enable-batching}"
command -v wrk >/dev/null || { echo "wrk not found: apt-get install -y wrk" >&2; exit 1; }

pids=()
logs=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -f "${logs[@]}"' EXIT
for i in 0 1; do
  logs[i]=$(mktemp)
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  TF_CPP_MIN_LOG_LEVEL=2 java ${JAVA_OPTS:--Xmx512m} -jar "${jars[i]}" serve --model "$model" \
    --port "${ports[i]}" "${serve_opts[@]}" >"${logs[i]}" 2>&1 &
  pids[i]=$!
done
for i in 0 1; do
  await_server "http://127.0.0.1:${ports[i]}" "${pids[i]}" "${logs[i]}"
done

echo "# machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs));" \
  "A=${jars[0]} B=${jars[1]}; options: ${serve_opts[*]}"
predict() { echo "http://127.0.0.1:${ports[$1]}/v1/models/mnist:predict"; }
load() { # index connections duration
  local threads=$(($2 < 2 ? 1 : 2))
  wrk -t"$threads" -c"$2" -d"$3" -s tools/bench/predict.lua "$(predict "$1")"
}
for i in 0 1; do
  load "$i" 64 15s >/dev/null
  load "$i" 1 5s >/dev/null
done
for c in ${CONNECTIONS:-1 64}; do
  for i in 0 1; do load "$i" "$c" 8s >/dev/null; done
  for r in $(seq "${ROUNDS:-5}"); do
    for i in 0 1; do
      name=$([ "$i" = 0 ] && echo A || echo B)
      load "$i" "$c" "${WINDOW:-6s}" | awk -v c="$c" -v n="$name" -v r="$r" '/^RESULT/ {
        printf "connections=%-3s %s round %s %s %s %s %s %s\n", c, n, r, $4, $5, $6, $7, $8 }'
    done
  done
done
