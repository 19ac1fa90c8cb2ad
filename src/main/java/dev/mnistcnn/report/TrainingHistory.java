package dev.mnistcnn.report;

import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.saving.provenance.Provenance;
import java.util.List;
import java.util.Optional;

/** The per-epoch history a training run records in its provenance ({@code results.history}). */
public final class TrainingHistory {
  private TrainingHistory() {}

  /**
   * The epochs recorded in {@code provenance} (or, for a converted model, in the provenance it was
   * converted from), or empty when there are none (a model made elsewhere, or a history this
   * version cannot read).
   */
  public static Optional<List<EpochMetrics>> of(Provenance provenance) {
    // A conversion or export records no results of its own: its weights, bit for bit, are
    // those of the model it came from, whose training history is theirs.
    while (provenance != null && provenance.results() == null && provenance.trainer() == null) {
      provenance = provenance.parent();
    }
    if (provenance == null || provenance.results() == null) {
      return Optional.empty();
    }
    List<EpochMetrics> history = provenance.results().history();
    return history == null || history.isEmpty() ? Optional.empty() : Optional.of(history);
  }
}
