"""Mode 'scaling': our trainer's images/s and peak RSS against batch size and dataset size."""
from . import contenders, stats, trials


def run(batch_sizes, limits, epochs, batch_for_limits, limit_for_batches):
    jar = contenders.Jar()
    reason = jar.unavailable()
    if reason:
        raise SystemExit(f"error: {reason}")

    def point(batch, limit, axis):
        result = trials.train(jar, epochs, limit, 1, batch, log_prefix=f"{axis} ")
        summary = stats.summarize([result])
        return {"batch_size": batch, "limit": limit, "images_per_s": summary["images_per_s"],
                "median_s": summary["median_s"], "peak_rss_mib": result["peak_rss_mib"],
                "train_samples": result["train_samples"], "epoch_seconds": result["epoch_seconds"]}

    by_batch = [point(b, limit_for_batches, f"batch {b}") for b in batch_sizes]
    by_size = [point(batch_for_limits, n, f"limit {n}") for n in limits]
    return {"epochs": epochs, "command": jar.display_command(epochs, "N", 1, "B"),
            "by_batch": by_batch, "by_dataset_size": by_size,
            "limit_for_batches": limit_for_batches, "batch_for_limits": batch_for_limits}
