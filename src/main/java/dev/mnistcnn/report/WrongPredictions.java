package dev.mnistcnn.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** The test images a model got wrong with the highest confidence, most confident first. */
final class WrongPredictions {
  /**
   * One wrong prediction.
   *
   * @param index the image's position in the test set
   * @param pixels its 784 pixels in [0, 1], row-major
   */
  @SuppressWarnings("ArrayRecordComponent") // pixels to draw, never compared
  record Wrong(int index, int label, int predicted, float confidence, float[] pixels) {}

  private static final Comparator<Wrong> LEAST_CONFIDENT_FIRST =
      Comparator.comparingDouble(Wrong::confidence)
          .thenComparing(Wrong::index, Comparator.reverseOrder());

  private final int capacity;
  private final PriorityQueue<Wrong> kept = new PriorityQueue<>(LEAST_CONFIDENT_FIRST);
  private int total;

  WrongPredictions(int capacity) {
    this.capacity = capacity;
  }

  /** Offers a prediction; right ones are ignored, wrong ones kept while among the most sure. */
  void offer(int index, int label, int predicted, float confidence, float[] pixels) {
    if (label == predicted) {
      return;
    }
    total++;
    kept.add(new Wrong(index, label, predicted, confidence, pixels));
    if (kept.size() > capacity) {
      kept.poll();
    }
  }

  /** How many were wrong in all. */
  int total() {
    return total;
  }

  /** The kept ones, most confident first (ties: lower index first). */
  List<Wrong> mostConfident() {
    List<Wrong> list = new ArrayList<>(kept);
    list.sort(LEAST_CONFIDENT_FIRST.reversed());
    return list;
  }
}
