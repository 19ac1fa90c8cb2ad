package dev.mnistcnn.train;

import dev.mnistcnn.graph.VariableValue;
import dev.mnistcnn.saving.provenance.EpochMetrics;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a run needs to continue exactly where it was: the position in the loop, the running
 * sums of the epoch in progress, the history so far and every graph variable (weights, Adam's slots
 * and step counters). The shuffle needs no state of its own: its generator is replayed from the
 * seed for the epochs already done.
 *
 * @param epochsDone complete epochs (validated and in {@code history})
 * @param stepInEpoch steps already taken in the next epoch (0 at an epoch boundary)
 * @param lossSum the next epoch's summed per-example training loss so far
 * @param correctSum the next epoch's correctly classified training images so far
 * @param secondsInEpoch time spent in the next epoch so far
 * @param variables every graph variable by op name
 */
public record TrainingState(
    int epochsDone,
    int stepInEpoch,
    double lossSum,
    long correctSum,
    double secondsInEpoch,
    List<EpochMetrics> history,
    Map<String, VariableValue> variables) {

  public TrainingState {
    if (epochsDone < 0 || stepInEpoch < 0 || correctSum < 0 || history.size() != epochsDone) {
      throw new IllegalArgumentException(
          "inconsistent training position (epoch " + epochsDone + ", step " + stepInEpoch + ")");
    }
    history = List.copyOf(history);
    variables = Collections.unmodifiableMap(new TreeMap<>(variables)); // by name: stable files
  }

  /** Steps taken in all, for a run of {@code stepsPerEpoch} steps an epoch. */
  public long globalStep(int stepsPerEpoch) {
    return (long) epochsDone * stepsPerEpoch + stepInEpoch;
  }
}
