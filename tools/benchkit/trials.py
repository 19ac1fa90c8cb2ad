"""One training run of one contender, in its own temporary folder, as a result record."""
import shutil
import tempfile

from . import runs


def train(contender, epochs, limit, seed, batch, log_prefix="", timeout=None):
    workdir = tempfile.mkdtemp(prefix=f"bench-{contender.key}-")
    try:
        argv, env = contender.command(epochs, limit, seed, batch, workdir)
        stdout, rss_mib, wall = runs.run(argv, env=env, timeout=timeout)
        result = contender.parse(stdout, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.update(seed=seed, batch_size=batch, peak_rss_mib=round(rss_mib, 1),
                  wall_s=round(wall, 2))
    print(f"{log_prefix}{contender.key:<10} epochs "
          f"{' '.join(f'{s:.2f}' for s in result['epoch_seconds'])} s, "
          f"accuracy {result['test_accuracy']:.4f}, peak RSS {rss_mib:.0f} MiB, "
          f"wall {wall:.1f} s", flush=True)
    return result
