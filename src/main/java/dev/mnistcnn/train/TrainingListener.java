package dev.mnistcnn.train;

import dev.mnistcnn.saving.provenance.EpochMetrics;

/** Callbacks from the training loop, as Keras callbacks. All methods are optional. */
public interface TrainingListener {
  default void onEpochStart(int epoch, int epochs, int steps) {}

  /** After each step, with the running mean loss and accuracy of the epoch so far. */
  default void onStepEnd(int step, int steps, double runningLoss, double runningAccuracy) {}

  default void onEpochEnd(EpochMetrics metrics) {}

  TrainingListener NONE = new TrainingListener() {};
}
