package dev.mnistcnn.train;

import java.util.function.Consumer;

/**
 * When the training loop hands its state to {@code sink}: every {@code everySteps} steps, or at the
 * end of each epoch when {@code everySteps} is 0. A step checkpoint that falls on an epoch's last
 * step is taken after the validation, as the epoch's.
 */
public record Checkpointing(int everySteps, Consumer<TrainingState> sink) {
  /** No checkpoints. */
  public static final Checkpointing NONE = new Checkpointing(0, null);

  public Checkpointing {
    if (everySteps < 0) {
      throw new IllegalArgumentException("checkpoint interval must be positive: " + everySteps);
    }
  }

  boolean atStep(long globalStep) {
    return sink != null && everySteps > 0 && globalStep % everySteps == 0;
  }

  boolean atEpochEnd(long globalStep, boolean last) {
    return sink != null && (last || everySteps == 0 || globalStep % everySteps == 0);
  }
}
