"""What the figures were measured on: CPU, its relevant flags, memory and software versions."""
import datetime
import glob
import os
import platform
import re
import subprocess

from . import paths

BF16_FLAGS = ("amx_bf16", "avx512_bf16")
REPORTED_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_tile")


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


# The CPU families the figures are kept apart by, most capable first: (name, file slug, flags
# that make it). oneDNN's kernels, TensorFlow's oneDNN default and bf16 all change between them.
FAMILIES = (
    ("AMX", "amx", ("amx_bf16",)),
    ("AVX-512+BF16", "avx512-bf16", ("avx512_bf16",)),
    ("AVX-512", "avx512", ("avx512f",)),
    ("AVX2", "avx2", ("avx2",)),
)
OTHER_FAMILY = ("x86-64 (no AVX2)", "other")


def cpu_family(flags=None):
    """(family name, file slug) of a CPU with `flags` (a set, or describe()'s {flag: bool} map);
    default: this CPU's."""
    if flags is None:
        flags = cpu_flags()
    elif isinstance(flags, dict):
        flags = {f for f, on in flags.items() if on}
    for name, slug, needs in FAMILIES:
        if all(f in flags for f in needs):
            return name, slug
    return OTHER_FAMILY


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


# Version probes print their answer on one stdout line after this mark; everything else a runtime
# prints (TensorFlow's oneDNN notice, warnings; on stdout or stderr) is ignored.
VERSION_MARK = "bench-versions:"


def _marked(cmd, env=None):
    """The words after VERSION_MARK on the probe's stdout (None: not installed or failed)."""
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    for line in proc.stdout.splitlines():
        if line.startswith(VERSION_MARK):
            return line[len(VERSION_MARK):].split()
    return None


def _python_versions(python, modules, env=None):
    """{module: version} of `modules` imported by `python`, or {module: None} for each."""
    code = (f"import sys, {', '.join(modules)}\n"
            f"print({VERSION_MARK!r}, {', '.join(m + '.__version__' for m in modules)})")
    words = _marked([python, "-c", code], env=dict(os.environ, **(env or {})))
    if not words or len(words) != len(modules):
        return dict.fromkeys(modules)
    return dict(zip(modules, words, strict=True))


def versions():
    """Versions of every runtime in the comparison (None: not installed)."""
    java = _output(["java", "-version"])
    tf_keras = _python_versions(paths.VENV_PYTHON, ["tensorflow", "keras"],
                                {"TF_CPP_MIN_LOG_LEVEL": "3"})
    jax_keras = _python_versions(paths.JAX_PYTHON, ["jax", "keras"], {"KERAS_BACKEND": "jax"})
    torch = _python_versions(paths.TORCH_PYTHON, ["torch"])
    return {
        "java": java.splitlines()[0] if java else None,
        "tensorflow_java": _jar_version(paths.JAR_LIB, "tensorflow-core-api"),
        "tensorflow_python": tf_keras["tensorflow"],
        "keras": tf_keras["keras"],
        "jax": jax_keras["jax"],
        "keras_on_jax": jax_keras["keras"],
        "pytorch": torch["torch"],
        "djl": _jar_version(paths.DJL_LIB, "api"),
        "djl_libtorch": _jar_version(paths.DJL_LIB, "pytorch-native-cpu"),
        "deeplearning4j": _jar_version(paths.DL4J_LIB, "deeplearning4j-nn"),
        "nd4j_native": _nd4j_native(),
    }


def _nd4j_native():
    # The most specific backend (e.g. linux-x86_64-onednn-avx2) is the one JavaCPP loads.
    jars = sorted(glob.glob(os.path.join(paths.DL4J_LIB, "nd4j-native-[0-9]*-linux*.jar")), key=len)
    return re.sub(r"^nd4j-native-|\.jar$", "", os.path.basename(jars[-1])) if jars else None
