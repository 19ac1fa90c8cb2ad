"""Interop seen from Python: what a Keras user does with the Java program's models, and back.

Runs the real jar (target/mnist-cnn.jar, built by tools/setup.sh) on the real MNIST test set
(mnist-data/) and real TensorFlow/Keras. Tolerance: max abs probability difference 1e-5 and the
same argmax on every image.

Run:  tools/.venv/bin/python -m pytest -q tools/tests
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(TOOLS)
sys.path.insert(0, os.path.join(TOOLS, "reference"))
import keras_seed  # noqa: E402
import mnist_idx  # noqa: E402

JAR = os.path.join(ROOT, "target", "mnist-cnn.jar")
SHIPPED = os.path.join(ROOT, "saved_model")
TEST_IMAGES = os.path.join(ROOT, "mnist-data", "t10k-images-idx3-ubyte")
TOLERANCE = 1e-5


def java(*args: str) -> str:
    assert os.path.isfile(JAR), "build the jar first: bash tools/setup.sh"
    proc = subprocess.run(["java", "-jar", JAR, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def java_probabilities(model: str, limit: int) -> np.ndarray:
    out = java("predict", "--model", model, "--idx", TEST_IMAGES, "--limit", str(limit), "--json")
    return np.array([r["probabilities"] for r in json.loads(out)], dtype=np.float32)


@pytest.fixture(scope="module")
def test_set():
    x = mnist_idx.images_to_float(mnist_idx.read_idx(TEST_IMAGES))
    y = mnist_idx.read_idx(os.path.join(ROOT, "mnist-data", "t10k-labels-idx1-ubyte"))
    return x, y


@pytest.fixture(scope="module")
def shipped_in_java():
    return java_probabilities(SHIPPED, 10_000)


def assert_same(expected: np.ndarray, actual: np.ndarray):
    assert actual.shape == expected.shape
    assert float(np.max(np.abs(expected - actual))) <= TOLERANCE
    assert np.array_equal(expected.argmax(axis=1), actual.argmax(axis=1))


def test_shipped_savedmodel_through_tf_and_keras(test_set, shipped_in_java):
    import keras
    import tensorflow as tf

    x, y = test_set
    serving = tf.saved_model.load(SHIPPED).signatures["serving_default"]
    by_signature = next(iter(serving(tf.constant(x)).values())).numpy()
    by_layer = keras.layers.TFSMLayer(SHIPPED, call_endpoint="serving_default")(x)
    if isinstance(by_layer, dict):
        by_layer = next(iter(by_layer.values()))
    by_layer = by_layer.numpy()
    for probabilities in (by_signature, by_layer):
        assert_same(shipped_in_java, probabilities)
    assert float((by_signature.argmax(axis=1) == y).mean()) >= 0.9919


def test_java_keras_export_is_a_real_sequential(tmp_path, test_set, shipped_in_java):
    import keras

    path = str(tmp_path / "model.keras")
    java("export", "--model", SHIPPED, "--format", "keras", "--output", path)
    model = keras.models.load_model(path)
    assert isinstance(model, keras.Sequential)
    assert model.count_params() == 225_546
    assert [type(layer).__name__ for layer in model.layers] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"]
    assert_same(shipped_in_java, model.predict(test_set[0], batch_size=1000, verbose=0))


def test_a_python_model_predicts_the_same_in_java(tmp_path, test_set):
    import keras

    keras.utils.set_random_seed(3)
    model = keras_seed.build_model()  # untrained but random: every weight matters
    for suffix in ("keras", "h5"):
        path = str(tmp_path / f"python.{suffix}")
        model.save(path)
        expected = model.predict(test_set[0][:1000], batch_size=1000, verbose=0)
        assert_same(expected, java_probabilities(path, 1000))
