"""Running one contender as a child process: its output, exit status and peak resident memory."""
import os
import subprocess
import tempfile
import time


class ContenderFailed(RuntimeError):
    """A benchmarked program exited non-zero: the benchmark is broken, not slow."""


def run(cmd, env=None, cwd=None, timeout=None):
    """Runs cmd to completion; returns (stdout text, peak RSS in MiB, wall seconds).

    Peak RSS comes from wait4's rusage (ru_maxrss) of the child itself. Output goes through a
    temporary file, not a pipe, so a chatty child never blocks on a full pipe.
    """
    # A None value unsets the variable (a contender at a library's own default).
    full_env = {k: v for k, v in dict(os.environ, **(env or {})).items() if v is not None}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=full_env, cwd=cwd)
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                raise ContenderFailed(f"timed out after {timeout:.0f} s: {' '.join(cmd)}")
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        tail = "\n".join((stderr or stdout).strip().splitlines()[-15:])
        raise ContenderFailed(
            f"exit status {proc.returncode}: {' '.join(cmd)}\n{tail}")
    return stdout, usage.ru_maxrss / 1024.0, seconds
