package dev.mnistcnn.inference;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Classification metrics from predicted probabilities and true labels: Keras's categorical
 * cross-entropy (probabilities clipped to [1e-7, 1 - 1e-7], as Keras does), accuracy, the confusion
 * matrix (rows = true class, columns = predicted) and per-class precision and recall.
 */
@SuppressWarnings("ArrayRecordComponent") // a result to read, never compared
public record Evaluation(int samples, double loss, double accuracy, int[][] confusionMatrix) {

  private static final double EPSILON = 1e-7;

  /** Accumulates a batch at a time, so a whole test set never has to sit in one array. */
  public static final class Builder {
    private final int classes;
    private final int[][] confusion;
    private double lossSum;
    private int samples;
    private int correct;

    public Builder(int classes) {
      this.classes = classes;
      this.confusion = new int[classes][classes];
    }

    public Builder add(Prediction p, int label) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("label " + label + " outside 0.." + (classes - 1));
      }
      double q = Math.min(Math.max(p.probabilities()[label], EPSILON), 1 - EPSILON);
      lossSum -= Math.log(q);
      confusion[label][p.digit()]++;
      if (p.digit() == label) {
        correct++;
      }
      samples++;
      return this;
    }

    public Evaluation build() {
      if (samples == 0) {
        throw new IllegalStateException("no samples evaluated");
      }
      return new Evaluation(samples, lossSum / samples, (double) correct / samples, confusion);
    }
  }

  public int classes() {
    return confusionMatrix.length;
  }

  /** Of the images predicted as {@code c}, the fraction that are {@code c} (0 if none were). */
  public double precision(int c) {
    int predicted = 0;
    for (int[] row : confusionMatrix) {
      predicted += row[c];
    }
    return predicted == 0 ? 0 : (double) confusionMatrix[c][c] / predicted;
  }

  /** Of the images of class {@code c}, the fraction predicted as {@code c} (0 if none). */
  public double recall(int c) {
    int actual = 0;
    for (int v : confusionMatrix[c]) {
      actual += v;
    }
    return actual == 0 ? 0 : (double) confusionMatrix[c][c] / actual;
  }

  /** Figures as a JSON-ready map (snake_case keys). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("samples", samples);
    m.put("accuracy", accuracy);
    m.put("error_rate", 1 - accuracy);
    m.put("loss", loss);
    double[] precision = new double[classes()];
    double[] recall = new double[classes()];
    for (int c = 0; c < classes(); c++) {
      precision[c] = precision(c);
      recall[c] = recall(c);
    }
    m.put("precision", precision);
    m.put("recall", recall);
    m.put("confusion_matrix", confusionMatrix);
    return m;
  }
}
