#!/usr/bin/env python3
"""Keras 3 twin of ``train --recipe augmented``, for side-by-side accuracy runs.

Model (the seed CNN with Dropout, and BatchNormalization on the hidden Dense, its bias dropped)::

    Input(28,28,1) -> [RandomTranslation(+-2 px), RandomRotation(+-10 deg), RandomZoom(+-10%)]
      -> Conv2D(32,5x5,relu) -> MaxPooling2D(2x2)
      -> Conv2D(64,3x3,relu) -> MaxPooling2D(2x2) -> Dropout(0.25)
      -> Flatten -> Dense(128,no bias) -> BN -> ReLU -> Dropout(0.5) -> Dense(10,softmax)

The augmentation layers act in training only (bilinear, constant 0 fill), as the Java trainer's
in-graph transform does. Adam (Keras defaults) with ExponentialDecay(1e-3, one epoch's steps,
--decay-rate, default 0.85), categorical_crossentropy, batch 200, 20 epochs, validation on the
test set. Prints ``CNN Error: X.XX%`` and, with --json, one JSON line as keras_seed.py does.

Example (Fashion-MNIST beside the Java run)::

    tools/.venv/bin/python tools/reference/keras_augmented.py \\
        --data /usr/share/datasets/fashion-mnist --seed 1 --json
"""
from __future__ import annotations

import argparse
import math
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TF C++ info logs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_idx  # noqa: E402
from keras_seed import fit_and_report, seeded_data  # noqa: E402

SHIFT_PIXELS = 2
ROTATION_DEGREES = 10
ZOOM_FRACTION = 0.1


def build_model(steps_per_epoch, decay_rate):
    """Return the compiled augmented-recipe model (Keras 3 Sequential)."""
    import keras
    from keras import layers

    side = 28
    model = keras.Sequential([
        keras.Input(shape=(side, side, 1)),
        layers.RandomTranslation(SHIFT_PIXELS / side, SHIFT_PIXELS / side,
                                 fill_mode="constant", interpolation="bilinear"),
        layers.RandomRotation(ROTATION_DEGREES / 360, fill_mode="constant",
                              interpolation="bilinear"),
        layers.RandomZoom(ZOOM_FRACTION, fill_mode="constant", interpolation="bilinear"),
        layers.Conv2D(32, (5, 5), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Dropout(0.25),
        layers.Flatten(),
        layers.Dense(128, use_bias=False),
        layers.BatchNormalization(),
        layers.Activation("relu"),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ])
    schedule = keras.optimizers.schedules.ExponentialDecay(
        1e-3, decay_steps=steps_per_epoch, decay_rate=decay_rate)
    model.compile(loss="categorical_crossentropy",
                  optimizer=keras.optimizers.Adam(learning_rate=schedule),
                  metrics=["accuracy"])
    return model


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(mnist_idx.DEFAULT_DATA_DIR),
                   help="folder with the four IDX files (raw or .gz); default: %(default)s")
    p.add_argument("--epochs", type=int, default=20, help="training epochs (default 20)")
    p.add_argument("--batch-size", type=int, default=200, help="batch size (default 200)")
    p.add_argument("--decay-rate", type=float, default=0.85,
                   help="learning-rate factor per epoch (default 0.85)")
    p.add_argument("--limit", type=int, default=None,
                   help="use only the first N training images (default: all)")
    p.add_argument("--seed", type=int, default=None,
                   help="seed for keras.utils.set_random_seed (python, numpy, backend)")
    p.add_argument("--json", action="store_true",
                   help="print a final JSON line with accuracy/loss/seconds per epoch")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    (x_train, y_train), (x_test, y_test) = seeded_data(args)
    steps_per_epoch = math.ceil(x_train.shape[0] / args.batch_size)
    model = build_model(steps_per_epoch, args.decay_rate)
    fit_and_report(model, (x_train, y_train), (x_test, y_test), args,
                   recipe="augmented", decay_rate=args.decay_rate)
    return 0


if __name__ == "__main__":
    sys.exit(main())
