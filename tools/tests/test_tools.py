"""Fast unit tests for the Python tools (no training, no MNIST download).

Run:  tools/.venv/bin/python -m pytest -q tools/tests
"""
from __future__ import annotations

import gzip
import json
import os
import struct
import subprocess
import sys

import numpy as np
import pytest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOOLS, "reference"))
import mnist_idx  # noqa: E402


def _write_idx(path, arr: np.ndarray, compress=False):
    header = bytes([0, 0, 0x08, arr.ndim]) + struct.pack(">" + "I" * arr.ndim, *arr.shape)
    data = header + arr.astype(np.uint8).tobytes()
    with (gzip.open if compress else open)(path, "wb") as f:
        f.write(data)


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_roundtrip(tmp_path, compress):
    imgs = np.random.default_rng(0).integers(0, 256, (5, 28, 28), dtype=np.uint8)
    name = mnist_idx.TRAIN_IMAGES + (".gz" if compress else "")
    _write_idx(tmp_path / name, imgs, compress)
    path = mnist_idx.find_idx(tmp_path, mnist_idx.TRAIN_IMAGES)
    np.testing.assert_array_equal(mnist_idx.read_idx(path), imgs)
    np.testing.assert_array_equal(mnist_idx.read_idx(path, limit=2), imgs[:2])


def test_read_idx_rejects_garbage(tmp_path):
    p = tmp_path / "bad"
    p.write_bytes(b"\x01\x02\x03\x04")
    with pytest.raises(ValueError):
        mnist_idx.read_idx(p)


def test_preprocessing():
    x = mnist_idx.images_to_float(np.array([[[0, 255]]], dtype=np.uint8))
    assert x.shape == (1, 1, 2, 1) and x.dtype == np.float32
    assert x.max() == 1.0 and x.min() == 0.0
    y = mnist_idx.one_hot(np.array([3, 0]))
    assert y.shape == (2, 10) and y[0, 3] == 1 and y.sum() == 2


def test_seed_model_structure():
    import keras_seed
    model = keras_seed.build_model()
    assert model.count_params() == 225546
    assert [type(layer).__name__ for layer in model.layers] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"]
    assert tuple(model.layers[-1].output.shape) == (None, 10)


def test_describe_and_predict_roundtrip(tmp_path):
    """Save an untrained seed model, then run keras_tool describe/predict on it."""
    import keras_seed
    model = keras_seed.build_model()
    path = str(tmp_path / "m.keras")
    model.save(path)
    imgs = np.random.default_rng(1).integers(0, 256, (7, 28, 28), dtype=np.uint8)
    _write_idx(tmp_path / "imgs", imgs)
    tool = os.path.join(TOOLS, "fixtures", "keras_tool.py")
    out = subprocess.run([sys.executable, tool, "describe", "--compact", "--model", path],
                         check=True, capture_output=True, text=True).stdout
    info = json.loads(out.strip().splitlines()[-1])
    assert info["total_params"] == 225546 and len(info["layers"]) == 7
    npy = str(tmp_path / "p.npy")
    subprocess.run([sys.executable, tool, "predict", "--model", path, "--idx-images",
                    str(tmp_path / "imgs"), "--out", npy], check=True, capture_output=True)
    probs = np.load(npy)
    expected = model.predict(mnist_idx.images_to_float(imgs), verbose=0)
    np.testing.assert_allclose(probs, expected, rtol=1e-5, atol=1e-6)
