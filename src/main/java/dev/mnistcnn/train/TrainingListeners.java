package dev.mnistcnn.train;

import dev.mnistcnn.saving.provenance.EpochMetrics;
import java.util.List;

/** Several listeners as one, called in order (as Keras's {@code CallbackList}). */
public final class TrainingListeners implements TrainingListener {
  private final List<TrainingListener> listeners;

  private TrainingListeners(List<TrainingListener> listeners) {
    this.listeners = listeners;
  }

  public static TrainingListener of(TrainingListener... listeners) {
    return new TrainingListeners(List.of(listeners));
  }

  @Override
  public void onEpochStart(int epoch, int epochs, int steps) {
    listeners.forEach(l -> l.onEpochStart(epoch, epochs, steps));
  }

  @Override
  public void onStepEnd(int step, int steps, double runningLoss, double runningAccuracy) {
    listeners.forEach(l -> l.onStepEnd(step, steps, runningLoss, runningAccuracy));
  }

  @Override
  public void onEpochEnd(EpochMetrics metrics) {
    listeners.forEach(l -> l.onEpochEnd(metrics));
  }
}
