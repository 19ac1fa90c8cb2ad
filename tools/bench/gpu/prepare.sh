#!/bin/bash
# Prepares what tools/bench/gpu/run.sh needs on the device machine (no network there), in .gpu/ and
# .whl/ (both ignored; name them in the device tool's `carry`): gzipped MNIST, the shipped model
# as .keras, and the Keras wheels that machine's image lacks. Needs `bash tools/setup.sh` first.
set -euo pipefail
cd "$(dirname "$0")/../../.."
grep -qx '/.gpu/' .git/info/exclude || echo /.gpu/ >>.git/info/exclude
grep -qx '/.whl/' .git/info/exclude || echo /.whl/ >>.git/info/exclude
mkdir -p .gpu .whl
for f in mnist-data/*-ubyte; do gzip -c "$f" >".gpu/$(basename "$f").gz"; done
java -jar target/mnist-cnn.jar export --model saved_model --format keras --output .gpu/seed.keras
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 -d .whl \
  keras==3.15.1 namex==0.1.0 optree==0.20.0
