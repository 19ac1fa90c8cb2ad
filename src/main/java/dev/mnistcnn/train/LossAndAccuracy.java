package dev.mnistcnn.train;

import dev.mnistcnn.saving.provenance.EpochMetrics;
import dev.mnistcnn.saving.provenance.ResultProvenance;
import java.util.List;

/** Mean loss and accuracy over a set of examples. */
public record LossAndAccuracy(double loss, double accuracy, int samples) {
  /** A model's results part of its provenance: these test figures and the epochs' history. */
  public ResultProvenance provenance(List<EpochMetrics> history) {
    return new ResultProvenance(accuracy, loss, samples, history);
  }
}
