#!/usr/bin/env bash
# Runs every test: Ruff over the Python in tools/, the Java suite (Spotless, Error Prone and
# -Werror at compile, then real MNIST, real TensorFlow, real Python Keras through the venv, headless
# Chromium, real HTTP), then the Python interop tests. Sets up first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
tools/.venv/bin/ruff check --no-cache tools
mvn -B test
tools/.venv/bin/python -m pytest -q tools/tests
