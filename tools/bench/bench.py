#!/usr/bin/env python3
"""Training benchmark of mnist-cnn against its peers, efficiency, scaling curves, serving load.

Modes (one per run; each stores its JSON and PNGs beside --output and re-renders the markdown,
keeping the other modes' sections):

  (default)          peers side by side: our jar (fp32; bf16 where the CPU and the jar have it),
                     Keras 3 on TensorFlow (fp32 with oneDNN on as ours; mixed_bfloat16 where the
                     CPU has bf16; and at TensorFlow's default oneDNN setting, labelled), and the
                     peers of `tools/setup.sh --peers`: Keras 3 on JAX, PyTorch, DJL (libtorch),
                     Deeplearning4j; N rounds of E epochs each, order rotated per round; plus the
                     machine's MatMul peak for the efficiency column. Stored per CPU family
                     (peers-avx2.json, peers-amx.json, ...): each family keeps its own table
  --accuracy         the full recipe per seed (--seeds) for our fp32 and bf16 paths and Keras fp32;
                     --dataset fashion and --recipe augmented pick another workload
  --scaling          our trainer's images/s and peak RSS against batch size and dataset size
  --serving-scaling  `serve` under wrk at 1..128 connections: requests/s, p50, p99
  --render           rebuild the markdown and charts from the stored JSON only

    tools/.venv/bin/python tools/bench/bench.py --epochs 3 --rounds 3
    tools/.venv/bin/python tools/bench/bench.py --smoke --output /tmp/b/benchmarks.md   # CI check

A contender that crashes fails the whole run (exit 1) with its last output lines: a broken
benchmark must not pass for a slow one. Needs `bash tools/setup.sh` first (and `--peers` for the
peers beyond Keras on TensorFlow; a peer not installed is recorded as such, not run).
"""
import argparse
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchkit import accuracy, contenders, machine, paths, peers, report, runs, scaling, serving  # noqa: E402

SMOKE_LIMIT = 1000
# Each recipe's own epoch count (the jar's `train --recipe` default), used when --epochs is unset.
RECIPE_EPOCHS = {"seed": 10, "augmented": 20}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n", 2)[2])
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--accuracy", action="store_true", help="accuracy over --seeds")
    mode.add_argument("--scaling", action="store_true", help="batch / dataset size curves")
    mode.add_argument("--serving-scaling", action="store_true", help="serve under wrk")
    mode.add_argument("--render", action="store_true",
                      help="only rebuild the markdown and charts from the stored JSON")
    p.add_argument("--smoke", action="store_true",
                   help=f"tiny and fast (first {SMOKE_LIMIT} images, 1 round, 1 epoch): CI's check")
    p.add_argument("--epochs", type=int, help="epochs per run (peers 3, accuracy 10, scaling 2)")
    p.add_argument("--rounds", type=int, default=3, help="peers: rounds (default 3)")
    p.add_argument("--limit", type=int, default=0, help="train on the first N images (0: all)")
    p.add_argument("--batch-size", type=int, default=200, help="batch size (default 200)")
    p.add_argument("--only", help="peers/accuracy: comma-separated contenders of "
                   + ",".join(c.key for c in contenders.ALL)
                   + " ('keras' includes keras-bf16, keras-tfdefault and keras-xla)")
    p.add_argument("--omp-wait-policy", default="PASSIVE", choices=contenders.OMP_WAIT_POLICIES,
                   help="OMP_WAIT_POLICY of the OpenMP peers (torch, djl, dl4j); default PASSIVE, "
                        "3-10x faster than spin-waiting (ACTIVE) on a shared 2-core machine")
    p.add_argument("--seeds", default="1,2,3,4,5", help="accuracy: seeds (default 1,2,3,4,5)")
    p.add_argument("--dataset", default="mnist", choices=contenders.DATASETS,
                   help="accuracy: the dataset (default mnist)")
    p.add_argument("--keep-models", metavar="DIR",
                   help="accuracy: keep each run's model as DIR/<contender>-seed<N>")
    p.add_argument("--recipe", default="seed", choices=sorted(RECIPE_EPOCHS),
                   help="accuracy: the recipe (default seed; each workload keeps its own results)")
    p.add_argument("--batch-sizes", default="50,100,200,500,1000,2000", help="scaling")
    p.add_argument("--limits", default="10000,30000,60000", help="scaling: dataset sizes")
    p.add_argument("--connections", default="1,2,4,8,16,32,64,128", help="serving-scaling")
    p.add_argument("--duration", default="20s", help="serving-scaling: wrk time per point")
    p.add_argument("--port", type=int, default=8597, help="serving-scaling: loopback port")
    p.add_argument("--model", default=paths.SHIPPED_MODEL, help="serving-scaling: model to serve")
    p.add_argument("--peak-size", type=int, default=2048, help="MatMul peak: matrix size")
    p.add_argument("--output", help="markdown to write (default docs/benchmarks.md, "
                   "docs/accuracy.md for --accuracy); data in <stem>/ beside it")
    args = p.parse_args(argv)
    for name in ("epochs", "limit", "batch_size", "rounds"):
        value = getattr(args, name)
        if value is not None and value < (0 if name == "limit" else 1):
            p.error(f"--{name.replace('_', '-')} must be positive, got {value}")
    return args


def _ints(text, option):
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise SystemExit(f"error: {option} takes comma-separated integers, got {text!r}") from None
    if not values or min(values) < 1:
        raise SystemExit(f"error: {option} needs positive integers, got {text!r}")
    return values


def run_mode(args):
    """(mode name, result) of the selected mode."""
    if args.serving_scaling:
        connections = [1, 8] if args.smoke else _ints(args.connections, "--connections")
        return "serving", serving.run(connections, "2s" if args.smoke else args.duration,
                                      "2s" if args.smoke else "10s", args.port,
                                      os.path.abspath(args.model),
                                      shlex.split(os.environ.get("JAVA_OPTS", "")))
    if args.scaling:
        if args.smoke:
            return "scaling", scaling.run([100, 500], [1000, 2000], 1, args.batch_size, 2000)
        return "scaling", scaling.run(_ints(args.batch_sizes, "--batch-sizes"),
                                      _ints(args.limits, "--limits"), args.epochs or 2,
                                      args.batch_size, args.limit)
    limit = SMOKE_LIMIT if args.smoke else args.limit
    if args.accuracy:
        workload = contenders.Workload(args.dataset, args.recipe)
        chosen = contenders.select(args.only or "jar,keras")
        # Keras fp32 at equal settings is the reference; the other Keras rows are speed rows.
        chosen = [c.on(workload) for c in chosen if c.key not in contenders.SPEED_ONLY]
        seeds = _ints(args.seeds, "--seeds")[:1] if args.smoke else _ints(args.seeds, "--seeds")
        epochs = 1 if args.smoke else (args.epochs or RECIPE_EPOCHS[args.recipe])
        result = accuracy.run(chosen, epochs, seeds, limit, args.batch_size,
                              keep_models=args.keep_models and os.path.abspath(args.keep_models))
        return workload.key, dict(result, dataset=args.dataset, recipe=args.recipe)
    mode = report.peers_mode(machine.cpu_family()[1])  # one table per CPU family
    return mode, peers.run(contenders.select(args.only), 1 if args.smoke else args.epochs or 3,
                              1 if args.smoke else args.rounds, limit, args.batch_size,
                              512 if args.smoke else args.peak_size, 3 if args.smoke else 10)


def _render(doc):
    """A data dir holding only accuracy results is the accuracy page; any other, the benchmarks."""
    data_dir = os.path.splitext(doc)[0]
    if all(mode.startswith("accuracy") for mode in report.load(data_dir)):
        report.render_accuracy(doc, data_dir)
    else:
        report.render(doc, data_dir)


def main(argv=None):
    args = parse_args(argv)
    contenders.set_omp_wait_policy(args.omp_wait_policy)
    try:
        contenders.select(args.only)  # a misspelt name fails now, not after the version probes
    except ValueError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    default_doc = "accuracy.md" if args.accuracy else "benchmarks.md"
    output = os.path.abspath(args.output or os.path.join(paths.ROOT, "docs", default_doc))
    data_dir = os.path.splitext(output)[0]
    if args.render:
        docs = [output] if args.output else [
            os.path.join(paths.ROOT, "docs", d) for d in ("benchmarks.md", "accuracy.md")]
        for doc in docs:
            _render(doc)
        return 0
    about = {"machine": machine.describe(), "versions": machine.versions(), "smoke": args.smoke,
             "command_line": "tools/bench/bench.py " + " ".join(
                 shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))}
    try:
        mode, result = run_mode(args)
    except (runs.ContenderFailed, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if mode.startswith("accuracy"):
        result = accuracy.merge(report.load(data_dir).get(mode), result, about)
    report.store(data_dir, mode, dict(about, **result))
    _render(output)
    print(f"wrote {os.path.relpath(output)} ({mode}) and {os.path.relpath(data_dir)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
