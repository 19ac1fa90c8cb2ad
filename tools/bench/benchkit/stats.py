"""Summaries of timed runs: which epochs count, medians, throughput, FLOP rates."""
import statistics

from . import flops

TEST_IMAGES = 10_000


def timed_epochs(epoch_seconds):
    """Epoch 1 carries graph building, tracing/JIT and warm-up: left out when there are more."""
    return list(epoch_seconds[1:]) if len(epoch_seconds) > 1 else list(epoch_seconds)


def summarize(runs):
    """Median and fastest epoch over all runs, images/s and GFLOP/s at the median."""
    epochs = [s for run in runs for s in timed_epochs(run["epoch_seconds"])]
    if not epochs:
        return None
    samples = runs[0]["train_samples"]
    median = statistics.median(epochs)
    return {
        "epochs_timed": len(epochs),
        "median_s": median,
        "fastest_s": min(epochs),
        "slowest_s": max(epochs),
        "images_per_s": samples / median,
        "gflops": flops.epoch_flops(samples, TEST_IMAGES) / median / 1e9,
        "train_samples": samples,
        "test_accuracy_mean": statistics.mean(run["test_accuracy"] for run in runs),
        "peak_rss_mib": max(run["peak_rss_mib"] for run in runs),
    }


def mean_sd(values):
    values = list(values)
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)
