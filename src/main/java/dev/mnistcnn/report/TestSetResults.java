package dev.mnistcnn.report;

import dev.mnistcnn.data.Split;
import dev.mnistcnn.inference.Evaluation;
import dev.mnistcnn.inference.Prediction;
import dev.mnistcnn.inference.Predictor;
import java.util.Arrays;
import java.util.List;

/**
 * A model's predictions on a test split, reduced to what the report shows: the metrics and the most
 * confidently wrong images.
 *
 * @param wrongTotal how many test images the model got wrong
 */
public record TestSetResults(
    Evaluation evaluation, List<WrongPredictions.Wrong> mostConfidentWrong, int wrongTotal) {
  private static final int BATCH = 1000;

  /** Predicts every image of {@code test}, keeping the {@code keep} most confidently wrong. */
  public static TestSetResults of(Predictor predictor, Split test, int keep) {
    if (test.count() == 0) {
      throw new IllegalArgumentException("the test set is empty");
    }
    Evaluation.Builder metrics = new Evaluation.Builder(predictor.classes());
    WrongPredictions wrong = new WrongPredictions(keep);
    int size = test.imageSize();
    for (int from = 0; from < test.count(); from += BATCH) {
      int n = Math.min(BATCH, test.count() - from);
      float[] images = test.imagesAsFloats(from, n);
      List<Prediction> predictions = predictor.predictBatch(images, n);
      for (int i = 0; i < n; i++) {
        Prediction p = predictions.get(i);
        int label = test.label(from + i);
        metrics.add(p, label);
        if (p.digit() != label) {
          float[] pixels = Arrays.copyOfRange(images, i * size, (i + 1) * size);
          wrong.offer(from + i, label, p.digit(), p.confidence(), pixels);
        }
      }
    }
    return new TestSetResults(metrics.build(), wrong.mostConfident(), wrong.total());
  }
}
