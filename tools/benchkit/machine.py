"""What the figures were measured on: CPU, its relevant flags, memory and software versions."""
import datetime
import glob
import os
import platform
import re
import subprocess

from . import paths

BF16_FLAGS = ("amx_bf16", "avx512_bf16")
REPORTED_FLAGS = ("avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile")


def _cpuinfo():
    try:
        with open("/proc/cpuinfo") as f:
            return f.read()
    except OSError:
        return ""


def cpu_flags():
    match = re.search(r"^flags\s*:\s*(.*)$", _cpuinfo(), re.M)
    return set(match.group(1).split()) if match else set()


def has_bf16():
    """True where oneDNN has fast bf16 kernels (AMX or AVX512_BF16)."""
    return any(flag in cpu_flags() for flag in BF16_FLAGS)


def has_avx512():
    return "avx512f" in cpu_flags()


def describe():
    info = _cpuinfo()
    model = re.search(r"^model name\s*:\s*(.*)$", info, re.M)
    flags = cpu_flags()
    mem_kb = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
    except (OSError, AttributeError):
        pass
    return {
        "cpu": model.group(1).strip() if model else platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "flags": {flag: flag in flags for flag in REPORTED_FLAGS},
        "memory_gib": round(mem_kb / 2**20, 1),
        "kernel": platform.release(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "git_commit": _output(["git", "-C", paths.ROOT, "rev-parse", "--short", "HEAD"]),
    }


def _output(cmd, env=None):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout + proc.stderr).strip()
    return text if proc.returncode == 0 and text else None


def _jar_version(lib_dir, artifact):
    jars = sorted(glob.glob(os.path.join(lib_dir, artifact + "-[0-9]*.jar")))
    if not jars:
        return None
    return re.sub(r"^" + re.escape(artifact) + r"-|(-linux.*)?\.jar$", "",
                  os.path.basename(jars[0]))


def versions():
    """Versions of every runtime in the comparison (None: not installed)."""
    java = _output(["java", "-version"])
    py = "import sys, tensorflow as tf, keras; print(tf.__version__, keras.__version__)"
    tf_keras = _output([paths.VENV_PYTHON, "-c", py],
                       env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    jax_py = "import jax, keras; print(jax.__version__, keras.__version__)"
    jax_keras = _output([paths.JAX_PYTHON, "-c", jax_py], env=dict(os.environ, KERAS_BACKEND="jax"))
    return {
        "java": java.splitlines()[0] if java else None,
        "tensorflow_java": _jar_version(paths.JAR_LIB, "tensorflow-core-api"),
        "tensorflow_python": tf_keras.split()[-2] if tf_keras else None,
        "keras": tf_keras.split()[-1] if tf_keras else None,
        "jax": jax_keras.split()[-2] if jax_keras else None,
        "keras_on_jax": jax_keras.split()[-1] if jax_keras else None,
        "deeplearning4j": _jar_version(paths.DL4J_LIB, "deeplearning4j-nn"),
        "nd4j_native": _nd4j_native(),
    }


def _nd4j_native():
    # The most specific backend (e.g. linux-x86_64-onednn-avx2) is the one JavaCPP loads.
    jars = sorted(glob.glob(os.path.join(paths.DL4J_LIB, "nd4j-native-[0-9]*-linux*.jar")), key=len)
    return re.sub(r"^nd4j-native-|\.jar$", "", os.path.basename(jars[-1])) if jars else None
