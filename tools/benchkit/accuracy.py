"""Mode 'accuracy': the full recipe per seed for the fp32 and fast paths, test accuracy spread."""
from . import stats, trials


def run(contenders, epochs, seeds, limit, batch):
    out = []
    for contender in contenders:
        record = {"key": contender.key, "label": contender.label,
                  "unavailable": contender.unavailable(),
                  "command": contender.display_command(epochs, limit, seeds[0], batch), "runs": []}
        if record["unavailable"] is None:
            for seed in seeds:
                result = trials.train(contender, epochs, limit, seed, batch,
                                      log_prefix=f"seed {seed} ")
                record["runs"].append(result)
            mean, sd = stats.mean_sd(r["test_accuracy"] for r in record["runs"])
            record.update(mean=mean, sd=sd)
        out.append(record)
    return {"epochs": epochs, "seeds": seeds, "limit": limit, "batch_size": batch,
            "contenders": out}
