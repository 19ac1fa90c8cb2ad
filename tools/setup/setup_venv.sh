#!/usr/bin/env bash
# Create (or refresh) the Python virtual environment for tools/ at tools/.venv
# and install tools/setup/requirements.txt into it, then requirements-no-deps.txt with --no-deps.
#
# Idempotent: the sha256 of requirements.txt is stored in
# tools/.venv/.requirements.sha256 after a successful install; when it still
# matches, nothing is reinstalled.  If the venv is broken (no working python)
# it is recreated.
#
# Usage:  tools/setup/setup_venv.sh [--force] [--keras-old | --jax | --torch]
# Env:    PYTHON       interpreter used to create the venv (default: python3.11,
#                      falling back to python3)
#         VENV_DIR     venv location (default: tools/.venv)
#         REQUIREMENTS requirements file (default: tools/setup/requirements.txt)
# Old-Keras side venv (optional, see requirements-keras-old.txt; when it exists,
# the Java test OldKerasTest also loads our files in Keras 3.3.3):
#   tools/setup/setup_venv.sh --keras-old
# which is short for
#   VENV_DIR=tools/.venv-keras-old REQUIREMENTS=tools/setup/requirements-keras-old.txt \
#     tools/setup/setup_venv.sh
# Keras 3 on JAX (a training peer of tools/bench/bench.py; run with KERAS_BACKEND=jax):
#   tools/setup/setup_venv.sh --jax        (tools/.venv-jax, tools/setup/requirements-jax.txt)
# PyTorch on CPU (a training peer of tools/bench/bench.py, tools/reference/torch_seed.py; ~5 GB
# with the CUDA wheels PyPI's torch pulls in, so only `tools/setup.sh --peers` asks for it):
#   tools/setup/setup_venv.sh --torch      (tools/.venv-torch, tools/setup/requirements-torch.txt)
# Exit status is non-zero on any failure.
set -euo pipefail

# The requirements files sit beside this script; the venvs stay in tools/, where the tests look.
SETUP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS_DIR="$(dirname "$SETUP_DIR")"
VENV_DIR="${VENV_DIR:-$TOOLS_DIR/.venv}"
REQ="${REQUIREMENTS:-$SETUP_DIR/requirements.txt}"
STAMP="$VENV_DIR/.requirements.sha256"
# The main venv also gets these with --no-deps (see the file); the other venvs none.
NO_DEPS="$SETUP_DIR/requirements-no-deps.txt"
[[ -n "${REQUIREMENTS:-}" ]] && NO_DEPS=""

FORCE=0
IMPORTS="tensorflow, keras, h5py, numpy, PIL, pytest"
BACKEND=tensorflow
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --keras-old)
      VENV_DIR="$TOOLS_DIR/.venv-keras-old"
      REQ="$SETUP_DIR/requirements-keras-old.txt"
      NO_DEPS=""
      STAMP="$VENV_DIR/.requirements.sha256" ;;
    --jax)
      VENV_DIR="$TOOLS_DIR/.venv-jax"
      REQ="$SETUP_DIR/requirements-jax.txt"
      NO_DEPS=""
      STAMP="$VENV_DIR/.requirements.sha256"
      IMPORTS="jax, keras, numpy"
      BACKEND=jax ;;
    --torch)
      VENV_DIR="$TOOLS_DIR/.venv-torch"
      REQ="$SETUP_DIR/requirements-torch.txt"
      NO_DEPS=""
      STAMP="$VENV_DIR/.requirements.sha256"
      IMPORTS="torch, numpy" ;;
    -h|--help) sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup_venv.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if [[ -z "${PYTHON:-}" ]]; then
  if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi

[[ -f "$REQ" ]] || { echo "setup_venv.sh: missing $REQ" >&2; exit 1; }
want_hash="$(cat "$REQ" ${NO_DEPS:+"$NO_DEPS"} | sha256sum | cut -d' ' -f1)"

# Reuse an existing, working venv whose stamp matches.
if [[ $FORCE -eq 0 && -x "$VENV_DIR/bin/python" && -f "$STAMP" ]] \
   && "$VENV_DIR/bin/python" -c 'import sys' >/dev/null 2>&1 \
   && [[ "$(cat "$STAMP")" == "$want_hash" ]]; then
  exit 0
fi

if [[ ! -x "$VENV_DIR/bin/python" ]] || ! "$VENV_DIR/bin/python" -c 'import sys' >/dev/null 2>&1; then
  rm -rf "$VENV_DIR"
  "$PYTHON" -m venv "$VENV_DIR"
fi

rm -f "$STAMP"
export PIP_DISABLE_PIP_VERSION_CHECK=1
"$VENV_DIR/bin/python" -m pip install -q --upgrade pip
"$VENV_DIR/bin/python" -m pip install -q -r "$REQ"
if [[ -n "$NO_DEPS" ]]; then
  "$VENV_DIR/bin/python" -m pip install -q --no-deps -r "$NO_DEPS"
  IMPORTS="$IMPORTS, tensorflow_serving.apis.prediction_service_pb2_grpc"
fi
KERAS_BACKEND=$BACKEND "$VENV_DIR/bin/python" -c "import $IMPORTS" >/dev/null 2>&1 \
  || { echo "setup_venv.sh: import check failed in $VENV_DIR" >&2; exit 1; }
echo "$want_hash" > "$STAMP"
echo "setup_venv.sh: installed $(basename "$REQ") into $VENV_DIR"
