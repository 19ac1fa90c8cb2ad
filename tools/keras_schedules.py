#!/usr/bin/env python3
"""Prints Keras 3's learning-rate schedules at steps 0..N-1 as one JSON line.

For the Java schedules' parity test: ExponentialDecay(1e-3, 7, 0.5) and CosineDecay(1e-3, 30,
alpha=0.1) (so the cosine's clamp after step 30 is inside the range), each called with the step
as the optimizer passes it (its ``iterations`` before the update).

    tools/.venv/bin/python tools/keras_schedules.py 50
"""
from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv=None) -> int:
    import keras

    steps = int((argv or sys.argv[1:] or ["50"])[0])
    schedules = keras.optimizers.schedules
    made = {
        "exponential": schedules.ExponentialDecay(1e-3, decay_steps=7, decay_rate=0.5),
        "cosine": schedules.CosineDecay(1e-3, decay_steps=30, alpha=0.1),
    }
    values = {
        name: [float(keras.ops.convert_to_numpy(s(step))) for step in range(steps)]
        for name, s in made.items()
    }
    print(json.dumps({"keras_version": keras.__version__, **values}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
