"""The machine's practical peak: a large MatMul in TF Java (tools/bench/MatmulPeak.java)."""
import json
import os
import shlex

from . import machine, paths, runs


def measure(size, reps):
    """{'float32': result, 'bfloat16': result or reason}; results from MatmulPeak's JSON line."""
    out = {"float32": _matmul("float32", size, reps)}
    out["bfloat16"] = (_matmul("bfloat16", size, reps) if machine.has_bf16()
                       else "not available on this CPU (no amx_bf16 / avx512_bf16)")
    return out


def command(dtype, size, reps):
    return ["java", "-cp", os.path.join(paths.JAR_LIB, "*"), paths.MATMUL_PEAK, "--size",
            str(size), "--reps", str(reps), "--threads", str(os.cpu_count()), "--dtype", dtype]


def _matmul(dtype, size, reps):
    stdout, _, _ = runs.run(command(dtype, size, reps), env={"TF_CPP_MIN_LOG_LEVEL": "2"})
    result = json.loads(stdout.strip().splitlines()[-1])
    result["command"] = " ".join(shlex.quote(a) for a in command(dtype, size, reps)).replace(
        paths.ROOT + "/", "")
    return result
