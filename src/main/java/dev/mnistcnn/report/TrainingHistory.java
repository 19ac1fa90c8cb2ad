package dev.mnistcnn.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistcnn.io.Provenance;
import dev.mnistcnn.train.EpochMetrics;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The per-epoch history a training run records in its provenance ({@code results.history}). */
public final class TrainingHistory {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private TrainingHistory() {}

  /**
   * The epochs recorded in {@code provenance} (or, for a converted model, in the provenance it was
   * converted from), or empty when there are none (a model made elsewhere, or a history this
   * version cannot read).
   */
  public static Optional<List<EpochMetrics>> of(Provenance provenance) {
    // A conversion or export records no results of its own: its weights, bit for bit, are
    // those of the model it came from, whose training history is theirs.
    while (provenance != null && provenance.results() == null && provenance.recipe() == null) {
      provenance = provenance.parent();
    }
    if (provenance == null || provenance.results() == null) {
      return Optional.empty();
    }
    Object history = provenance.results().get("history");
    if (history == null) {
      return Optional.empty();
    }
    try {
      List<EpochMetrics> epochs = Arrays.asList(JSON.convertValue(history, EpochMetrics[].class));
      return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not a list of epochs: shown as "no history"
    }
  }
}
