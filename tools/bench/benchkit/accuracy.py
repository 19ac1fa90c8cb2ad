"""Mode 'accuracy': the full recipe per seed for the fp32 and fast paths, test accuracy spread.

Each contender's runs are stored with when and how they were measured, so contenders can be
measured in separate invocations (Java's five runs one day, Keras's another) and compared in one
table: a new run replaces only the contenders it ran.
"""
import math

from . import contenders, stats, trials

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom (df is floored: conservative).
_T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
         2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
         2.056, 2.052, 2.048, 2.045, 2.042]


def run(contenders, epochs, seeds, limit, batch, keep_models=None):
    out = []
    for contender in contenders:
        record = {"key": contender.key, "label": contender.label,
                  "unavailable": contender.unavailable(),
                  "command": contender.display_command(epochs, limit, seeds[0], batch), "runs": []}
        if record["unavailable"] is None:
            for seed in seeds:
                result = trials.train(contender, epochs, limit, seed, batch,
                                      log_prefix=f"seed {seed} ", keep_models=keep_models)
                record["runs"].append(result)
            mean, sd = stats.mean_sd(r["test_accuracy"] for r in record["runs"])
            record.update(mean=mean, sd=sd)
        out.append(record)
    return {"epochs": epochs, "seeds": seeds, "limit": limit, "batch_size": batch,
            "contenders": out}


def merge(previous, result, about):
    """`result` (just measured, described by `about`) plus the contenders of `previous` that it
    did not run, when both used the same recipe (epochs, limit, batch size)."""
    measured = {k: about[k] for k in ("machine", "versions", "command_line")}
    for record in result["contenders"]:
        record["measured"] = measured
    same_recipe = previous and all(previous.get(k) == result[k]
                                   for k in ("epochs", "limit", "batch_size"))
    if not same_recipe:
        return result
    fresh = {r["key"] for r in result["contenders"]}
    kept = [dict(r, measured=r.get("measured") or {
        k: previous[k] for k in ("machine", "versions", "command_line")})
        for r in previous["contenders"] if r["key"] not in fresh]
    seeds = sorted({s for r in kept + result["contenders"] for s in _seeds(r)})
    order = {c.key: i for i, c in enumerate(contenders.ALL)}
    merged = sorted(kept + result["contenders"], key=lambda r: order.get(r["key"], len(order)))
    return dict(result, seeds=seeds, contenders=merged)


def _seeds(record):
    return [run["seed"] for run in record["runs"]]


def welch(a, b):
    """Difference of means a - b, its standard error and 95% interval (Welch's t)."""
    na, nb = len(a["runs"]), len(b["runs"])
    va, vb = a["sd"] ** 2 / na, b["sd"] ** 2 / nb
    se = math.sqrt(va + vb)
    diff = a["mean"] - b["mean"]
    if se == 0:
        return {"diff": diff, "se": 0.0, "df": None, "low": diff, "high": diff}
    df = (va + vb) ** 2 / (va ** 2 / (na - 1) + vb ** 2 / (nb - 1))
    t = _T975[min(max(int(df), 1), len(_T975)) - 1]
    return {"diff": diff, "se": se, "df": df, "low": diff - t * se, "high": diff + t * se}
