#!/usr/bin/env python3
"""Small random Keras Sequential models covering every supported layer type, for the layer
round-trip tests (one TensorFlow start-up for all of them).

    keras_layers.py --out DIR --seed N

For each model NAME writes DIR/NAME.keras, DIR/NAME.h5, DIR/NAME-export (``model.export()``) and
DIR/NAME.json (``model.to_json()``), then prints one JSON line:
{"models": {NAME: {"keras", "h5", "export", "json", "weights"}}}.  Weights are
Keras's initializers plus random BatchNormalization statistics (so that inference uses non-trivial
moving means and variances).  Predictions are made separately with keras_interop.py predict.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402


def models(keras):
    L = keras.layers
    inp = lambda: keras.Input(shape=(28, 28, 1))  # noqa: E731
    return {
        # Convolutions with every padding/stride/dilation/bias option, pooling, BN, spatial dropout.
        "convs": keras.Sequential([
            inp(),
            L.Rescaling(2.0, offset=-1.0),
            L.ZeroPadding2D(((1, 2), (0, 1))),
            L.Conv2D(8, 3, padding="same", strides=2, use_bias=False, activation="elu"),
            L.BatchNormalization(),
            L.Activation("gelu"),
            L.Conv2D(8, 3, dilation_rate=2, activation="selu"),
            L.MaxPooling2D(3, strides=2, padding="same"),
            L.SpatialDropout2D(0.2),
            L.Conv2D(12, (2, 3), activation="swish"),
            L.AveragePooling2D(2, strides=1, padding="same"),
            L.Conv2D(12, 3, strides=(2, 1), activation="sigmoid"),
            L.AveragePooling2D(2),
            L.GlobalAveragePooling2D(),
            L.Dense(10, activation="softmax"),
        ], name="convs"),
        # Dense stacks with every activation string and activation layer, Softmax as a layer.
        "dense": keras.Sequential([
            inp(),
            L.Conv2D(6, 5, strides=2, activation="tanh"),
            L.LeakyReLU(0.2),
            L.GlobalMaxPooling2D(keepdims=True),
            L.Reshape((-1,)),
            L.Dense(32, activation="gelu", use_bias=False),
            L.BatchNormalization(center=False),
            L.Dropout(0.3),
            L.Dense(24, activation="softplus"),
            L.Activation("elu"),
            L.Dense(24, activation="linear"),
            L.Activation("selu"),
            L.Dense(24, activation="silu"),
            L.Activation("swish"),
            L.Activation("softplus"),
            L.Activation("tanh"),
            L.Dense(16, activation="relu"),
            L.ReLU(max_value=1.5),
            L.Activation("sigmoid"),
            L.Dense(10),
            L.Softmax(),
        ], name="dense"),
        # What train --from continues: BN (faster momentum, so that 30 steps move the statistics)
        # and Dropout, MaxPooling2D, Flatten.
        "trainable": keras.Sequential([
            inp(),
            L.Conv2D(8, 3, activation="relu"),
            L.BatchNormalization(momentum=0.9),
            L.MaxPooling2D(2),
            L.Dropout(0.25),
            L.Flatten(),
            L.Dense(32, activation="relu"),
            L.BatchNormalization(momentum=0.9),
            L.Dense(10, activation="softmax"),
        ], name="trainable"),
    }


def randomise_batch_norm(model, rng):
    for layer in model.layers:
        if type(layer).__name__ != "BatchNormalization":
            continue
        values = []
        for w in layer.weights:
            n = w.shape
            base = w.path.split("/")[-1]
            if base in ("gamma", "moving_variance"):
                values.append(rng.uniform(0.5, 1.5, n).astype("float32"))
            else:
                values.append(rng.normal(0, 0.2, n).astype("float32"))
        layer.set_weights(values)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    import keras
    keras.utils.set_random_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)
    result = {}
    for name, model in models(keras).items():
        randomise_batch_norm(model, rng)
        files = {k: os.path.join(args.out, name + suffix)
                 for k, suffix in (("keras", ".keras"), ("h5", ".h5"), ("export", "-export"))}
        model.save(files["keras"])
        model.save(files["h5"])
        model.export(files["export"], verbose=False)
        files["json"] = os.path.join(args.out, name + ".json")
        with open(files["json"], "w") as f:
            f.write(model.to_json())
        files["weights"] = [w.path for w in model.weights]
        result[name] = files
    print(json.dumps({"keras_version": keras.__version__, "models": result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
