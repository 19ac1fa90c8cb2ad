"""Where things are, relative to the repository root."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = os.path.join(ROOT, "tools")
JAR = os.path.join(ROOT, "target", "mnist-cnn.jar")
JAR_LIB = os.path.join(ROOT, "target", "lib")
DATA = os.path.join(ROOT, "mnist-data")
FASHION_DATA = "/usr/share/datasets/fashion-mnist"  # Debian package dataset-fashion-mnist
VENV_PYTHON = os.path.join(TOOLS, ".venv", "bin", "python")
JAX_PYTHON = os.path.join(TOOLS, ".venv-jax", "bin", "python")
TORCH_PYTHON = os.path.join(TOOLS, ".venv-torch", "bin", "python")
TORCH_SEED = os.path.join(TOOLS, "torch_seed.py")
KERAS_SEED = os.path.join(TOOLS, "keras_seed.py")
KERAS_AUGMENTED = os.path.join(TOOLS, "keras_augmented.py")
DL4J_JAR = os.path.join(TOOLS, "bench-dl4j", "target", "bench-dl4j.jar")
DL4J_LIB = os.path.join(TOOLS, "bench-dl4j", "target", "lib")
DJL_JAR = os.path.join(TOOLS, "bench-djl", "target", "bench-djl.jar")
DJL_LIB = os.path.join(TOOLS, "bench-djl", "target", "lib")
MATMUL_PEAK = os.path.join(TOOLS, "bench-tf", "MatmulPeak.java")
SHIPPED_MODEL = os.path.join(ROOT, "saved_model")
WRK_SCRIPT = os.path.join(TOOLS, "bench", "predict.lua")
PREDICT_BODY = os.path.join(TOOLS, "bench", "predict_request.json")
