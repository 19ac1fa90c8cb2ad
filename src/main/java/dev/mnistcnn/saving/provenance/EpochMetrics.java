package dev.mnistcnn.saving.provenance;

import java.util.Locale;

/** One epoch's figures, as Keras's {@code History} records them. */
public record EpochMetrics(
    int epoch,
    int epochs,
    double seconds,
    double loss,
    double accuracy,
    double valLoss,
    double valAccuracy) {

  /** {@code Epoch 3/10 - 9s - loss: ... - accuracy: ... - val_loss: ... - val_accuracy: ...} */
  public String kerasLine() {
    return String.format(
        Locale.ROOT,
        "Epoch %d/%d - %.0fs - loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f",
        epoch,
        epochs,
        seconds,
        loss,
        accuracy,
        valLoss,
        valAccuracy);
  }
}
