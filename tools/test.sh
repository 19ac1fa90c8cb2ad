#!/usr/bin/env bash
# Runs every test: the Java suite (real MNIST, real TensorFlow, real Python Keras through the venv,
# headless Chromium, real HTTP), then the Python interop tests. Sets up first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
mvn -B test
tools/.venv/bin/python -m pytest -q tools/tests
