#!/usr/bin/env python3
"""Train one small CNN a few steps in Keras 3 with each given optimizer, for the Java<->Keras
optimizer test (one TensorFlow start-up for all of them).

    keras_optimizers.py --out DIR --data MNIST_DIR --images N --steps S --seed K OPTIMIZER_JSON...

Builds Conv2D(4, 5, relu) -> MaxPooling2D -> Flatten -> Dense(10, softmax) from seed K and saves
it as DIR/initial.keras.  Then for each OPTIMIZER_JSON (``{"class_name": "SGD", "config":
{...}}``, as ``keras.optimizers.serialize`` writes it) it reloads that file, compiles it with
categorical cross-entropy and takes S steps on the same batch, the first N MNIST training images,
and writes every weight as DIR/<i>/<layer>_<weight>.npy.  Prints one JSON line:
{"initial": path, "optimizers": [{"config": {...}, "weights": {"layer/weight": npy path}}]}.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_idx  # noqa: E402
import numpy as np  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--images", type=int, default=64)
    p.add_argument("--steps", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("optimizers", nargs="+")
    args = p.parse_args(argv)
    import keras
    keras.utils.set_random_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(4, 5, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ])
    initial = os.path.join(args.out, "initial.keras")
    model.save(initial)
    x = mnist_idx.images_to_float(
        mnist_idx.read_idx(mnist_idx.find_idx(args.data, mnist_idx.TRAIN_IMAGES), args.images))
    y = mnist_idx.one_hot(
        mnist_idx.read_idx(mnist_idx.find_idx(args.data, mnist_idx.TRAIN_LABELS), args.images))
    results = []
    for i, text in enumerate(args.optimizers):
        trained = keras.models.load_model(initial)
        optimizer = keras.optimizers.deserialize(json.loads(text))
        trained.compile(optimizer=optimizer, loss="categorical_crossentropy")
        for _ in range(args.steps):
            trained.train_on_batch(x, y)
        folder = os.path.join(args.out, str(i))
        os.makedirs(folder, exist_ok=True)
        weights = {}
        for layer in trained.layers:
            for w in layer.weights:
                key = f"{layer.name}/{w.name}"
                weights[key] = os.path.join(folder, key.replace("/", "_") + ".npy")
                np.save(weights[key], np.asarray(w.numpy(), dtype=np.float32))
        results.append({"config": keras.optimizers.serialize(optimizer)["config"],
                        "iterations": int(optimizer.iterations.numpy()),
                        "weights": weights})
    print(json.dumps({"keras_version": keras.__version__, "initial": initial,
                      "optimizers": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
