#!/bin/bash
# One device call: what the machine has for TF Java's GPU build, then Keras 3 on JAX (the only
# TensorFlow-family stack the image carries) training the seed recipe and predicting on the GPU.
# Run through the device tool: run(command="bash tools/bench/gpu/run.sh", carry=[".whl", ".gpu"]).
exec > >(tee $OUT/gpu.log) 2>&1
echo "== machine"; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv; nproc; grep -m1 "model name" /proc/cpuinfo
echo "== java"; which java; ls /usr/lib/jvm 2>&1
echo "== CUDA libraries TF 2.18 (TF Java 1.1.0) links against: libcudart.so.12, libcublas.so.12, libcudnn.so.9"
ldconfig -p | grep -E "libcudart|libcublas\.so|libcudnn\.so" ; find / -xdev \( -name "libcudart.so*" -o -name "libcudnn.so*" -o -name "libcublas.so*" \) 2>/dev/null | grep -v "^/proc" | head -20
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site || exit
export KERAS_BACKEND=jax PYTHONUNBUFFERED=1
python3 -c "import jax, keras; print('jax', jax.__version__, jax.devices(), 'keras', keras.__version__)"
echo "== train: seed recipe, Keras 3 on JAX, GPU"
timeout 240 python3 tools/reference/keras_seed.py --json --data .gpu --epochs 5 --seed 1
echo "== predict"
timeout 120 python3 tools/bench/gpu/keras_predict.py
