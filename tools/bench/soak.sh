#!/usr/bin/env bash
# Soak test of `mnist-cnn serve` on loopback: CLIENTS clients for SECONDS against the
# real server in its own JVM (-Xms256m -Xmx256m, pre-touched, so that resident memory only grows
# if native memory leaks), with good requests (predict, image), bad ones (broken JSON, wrong
# shapes, 0..255 pixels, garbage and oversized images, blank images) and slow clients (headers or
# body a byte every 100 ms, cut off with 408). Passes (exit 0) when good clients get only 200s and
# no connection error, nothing is 5xx, and resident memory after the first third stays within
# 32 MB. The same run, 16 s long, is SoakTest in the test suite.
#
#   tools/bench/soak.sh [SECONDS [CLIENTS [serve options...]]]     default: 60 64 --enable-batching
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
clients=${2:-64}
shift $(( $# < 2 ? $# : 2 ))
serve_options=("$@")
[ ${#serve_options[@]} -gt 0 ] || serve_options=(--enable-batching)

mvn -B -q test-compile
classpath_file=target/soak.classpath
mvn -B -q dependency:build-classpath -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
exec java -Dmnistcnn.projectDir="$PWD" \
  -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  dev.mnistcnn.serve.Soak "$seconds" "$clients" "${serve_options[@]}"
