"""One training run of one contender, in its own temporary folder, as a result record."""
import os
import shutil
import tempfile

from . import runs


def train(contender, epochs, limit, seed, batch, log_prefix="", timeout=None, keep_models=None):
    """One run; with `keep_models`, the model it wrote (if any) is moved to
    keep_models/<contender>-seed<seed> before its folder goes."""
    workdir = tempfile.mkdtemp(prefix=f"bench-{contender.key}-")
    try:
        argv, env = contender.command(epochs, limit, seed, batch, workdir)
        stdout, rss_mib, wall = runs.run(argv, env=env, timeout=timeout)
        result = contender.parse(stdout, workdir)
        model = os.path.join(workdir, "model")
        if keep_models and os.path.exists(model):
            target = os.path.join(keep_models, f"{contender.key}-seed{seed}")
            shutil.rmtree(target, ignore_errors=True)
            os.makedirs(keep_models, exist_ok=True)
            shutil.move(model, target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.update(seed=seed, batch_size=batch, peak_rss_mib=round(rss_mib, 1),
                  wall_s=round(wall, 2))
    print(f"{log_prefix}{contender.key:<10} epochs "
          f"{' '.join(f'{s:.2f}' for s in result['epoch_seconds'])} s, "
          f"accuracy {result['test_accuracy']:.4f}, peak RSS {rss_mib:.0f} MiB, "
          f"wall {wall:.1f} s", flush=True)
    return result
