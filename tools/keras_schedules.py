#!/usr/bin/env python3
"""Prints Keras 3's learning-rate schedules at steps 0..N-1 as one JSON line.

For the Java schedules' parity test: ExponentialDecay(1e-3, 7, 0.5) and CosineDecay(1e-3, 30,
alpha=0.1) (so the cosine's clamp after step 30 is inside the range), each called with the step
as the optimizer passes it (its int64 ``iterations`` before the update), inside a
``tf.function`` as ``model.fit``'s compiled train step calls it: eagerly, TensorFlow's Pow kernel
can round the last bit differently (1e-3 * 0.5^(9/7): 4.1016770e-4 eagerly, 4.1016765e-4 in a
graph, as in training and in our graph).

    tools/.venv/bin/python tools/keras_schedules.py 50
"""
from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main(argv=None) -> int:
    import keras
    import tensorflow as tf

    steps = int((argv or sys.argv[1:] or ["50"])[0])
    schedules = keras.optimizers.schedules
    made = {
        "exponential": schedules.ExponentialDecay(1e-3, decay_steps=7, decay_rate=0.5),
        "cosine": schedules.CosineDecay(1e-3, decay_steps=30, alpha=0.1),
    }
    values = {}
    for name, schedule in made.items():
        compiled = tf.function(schedule)
        values[name] = [float(compiled(tf.constant(step, tf.int64)).numpy())
                        for step in range(steps)]
    print(json.dumps({"keras_version": keras.__version__, **values}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
