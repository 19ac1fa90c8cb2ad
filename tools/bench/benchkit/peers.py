"""Mode 'peers': every contender, round after round, in a rotating order."""
from . import peak, stats, trials


def run(contenders, epochs, rounds, limit, batch, peak_size, peak_reps):
    ready = [c for c in contenders if c.unavailable() is None]
    records = {c.key: {"key": c.key, "label": c.label, "unavailable": c.unavailable(),
                       "precision": c.precision, "not_comparable": c.not_comparable,
                       "command": c.display_command(epochs, limit, 1, batch), "runs": []}
               for c in contenders}
    print(f"peak: {peak_size}x{peak_size} MatMul", flush=True)
    peaks = peak.measure(peak_size, peak_reps)
    for r in range(rounds):
        # Rotated each round (A B C, then B C A, ...) so drift on the machine hits all alike.
        order = ready[r % len(ready):] + ready[:r % len(ready)] if ready else []
        for contender in order:
            record = trials.train(contender, epochs, limit, r + 1, batch,
                                  log_prefix=f"round {r + 1}/{rounds} ")
            records[contender.key]["runs"].append(dict(record, round=r + 1))
    for record in records.values():
        record["summary"] = stats.summarize(record["runs"]) if record["runs"] else None
    return {"epochs": epochs, "rounds": rounds, "limit": limit, "batch_size": batch,
            "peak": peaks, "contenders": list(records.values())}
