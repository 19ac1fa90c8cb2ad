"""Keras 3 (JAX backend) inference timings of the shipped model (.gpu/seed.keras) on a GPU."""
import json
import os
import sys
import time

import numpy as np

REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "reference")
sys.path.insert(0, REFERENCE)  # mnist_idx
import keras  # noqa: E402
import mnist_idx  # noqa: E402

model = keras.models.load_model(".gpu/seed.keras")
(_, _), (test_x, _) = mnist_idx.load_mnist(".gpu")
test_x = np.asarray(test_x, dtype="float32").reshape(-1, 28, 28, 1)
if test_x.max() > 1.5:
    test_x /= 255.0
out = {}
single = [test_x[i : i + 1] for i in range(200)]
for _ in range(50):
    model(single[0], training=False)
lat = []
for i in range(2000):
    t = time.perf_counter()
    np.asarray(model(single[i % 200], training=False))
    lat.append(time.perf_counter() - t)
lat = np.array(lat) * 1e3
out["single_model_call_ms"] = {q: float(np.percentile(lat, int(q[1:]))) for q in ("p50", "p99")}
for bs in (1000, 10000):
    batch = test_x[:bs]
    np.asarray(model(batch, training=False))
    model.predict(batch, batch_size=bs, verbose=0)
    for name, fn in (("direct", lambda b=batch: np.asarray(model(b, training=False))),
                     ("predict", lambda b=batch, n=bs: model.predict(b, batch_size=n, verbose=0))):
        times = []
        for _ in range(20):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        out[f"batch{bs}_{name}_images_per_s"] = bs / float(np.median(times))
print(json.dumps(out))
