#!/usr/bin/env python3
"""Write what ``model.to_json()`` gives for one small CNN, in whichever Keras runs this script
(tools/.venv: Keras 3.15; tools/.venv-keras-old: Keras 3.3.3), for the ``train --spec`` test.

    keras_spec_json.py --out FILE.json

Prints one JSON line: {"keras_version", "json": FILE, "params": total parameter count}.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    import keras
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Dropout(0.25),
        layers.Conv2D(16, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10, activation="softmax"),
    ])
    with open(args.out, "w") as f:
        f.write(model.to_json())
    print(json.dumps({"keras_version": keras.__version__, "json": args.out,
                      "params": int(model.count_params())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
