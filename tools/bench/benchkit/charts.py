"""PNG charts of the results (matplotlib, headless Agg backend), written atomically."""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def _save(fig, path):
    tmp = path + ".tmp.png"
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    os.replace(tmp, path)


def peers_bar(records, title, path):
    done = [r for r in records if r.get("summary")]
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(done) + 1.5))
    labels = [r["label"] for r in done]
    values = [r["summary"]["images_per_s"] for r in done]
    colors = ["#d62728" if r["key"].startswith("jar") else "#1f77b4" for r in done]
    bars = ax.barh(labels, values, color=colors)
    for bar, r in zip(bars, done, strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                f" {r['summary']['images_per_s']:,.0f} img/s ({r['summary']['median_s']:.2f} s)",
                va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("training images/s (median epoch, validation included)")
    ax.set_title(title, fontsize=10)
    ax.set_xlim(0, max(values) * 1.45 if values else 1)
    _save(fig, path)


def scaling(points, x_key, x_label, title, path, log_x=False):
    fig, ax = plt.subplots(figsize=(7, 4))
    xs = [p[x_key] for p in points]
    ax.plot(xs, [p["images_per_s"] for p in points], "o-", color="#d62728")
    ax.set_xlabel(x_label)
    ax.set_ylabel("training images/s", color="#d62728")
    if log_x:
        ax.set_xscale("log")
    ax2 = ax.twinx()
    ax2.plot(xs, [p["peak_rss_mib"] for p in points], "s--", color="#1f77b4")
    ax2.set_ylabel("peak RSS (MiB)", color="#1f77b4")
    ax.set_title(title, fontsize=10)
    _save(fig, path)


def serving(points, title, path):
    fig, ax = plt.subplots(figsize=(7, 4))
    xs = [p["connections"] for p in points]
    ax.plot(xs, [p["rps"] for p in points], "o-", color="#d62728")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("concurrent connections")
    ax.set_ylabel("requests/s", color="#d62728")
    ax2 = ax.twinx()
    ax2.plot(xs, [p["p99_ms"] for p in points], "s--", color="#1f77b4")
    ax2.set_ylabel("p99 latency (ms)", color="#1f77b4")
    ax.set_title(title, fontsize=10)
    _save(fig, path)


def accuracy_strip(records, title, path):
    """Every run's test accuracy per contender, the mean as a bar across."""
    done = [r for r in records if r.get("runs")]
    fig, ax = plt.subplots(figsize=(7, 0.7 * len(done) + 1.6))
    for i, r in enumerate(done):
        values = [100 * run["test_accuracy"] for run in r["runs"]]
        color = "#d62728" if r["key"].startswith("jar") else "#1f77b4"
        ax.scatter(values, [i] * len(values), color=color, alpha=0.7, zorder=3)
        mean = 100 * r["mean"]
        ax.plot([mean, mean], [i - 0.3, i + 0.3], color="black", linewidth=2)
        ax.text(mean, i + 0.35, f"mean {mean:.2f}%", ha="center", fontsize=8)
    ax.set_yticks(range(len(done)), [r["label"] for r in done], fontsize=8)
    ax.set_ylim(-0.6, len(done) - 0.2)
    ax.set_xlabel("test accuracy after the last epoch (%)")
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    _save(fig, path)
