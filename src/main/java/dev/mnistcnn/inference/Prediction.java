package dev.mnistcnn.inference;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** A classified image: the most probable class and all class probabilities. */
@SuppressWarnings("ArrayRecordComponent") // a result to read, never compared
public record Prediction(int digit, float[] probabilities) {

  public static Prediction of(float[] probabilities) {
    int best = 0;
    for (int i = 1; i < probabilities.length; i++) {
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    return new Prediction(best, probabilities);
  }

  public float confidence() {
    return probabilities[digit];
  }

  /** The {@code k} most probable classes, most probable first. */
  public List<Integer> topK(int k) {
    return IntStream.range(0, probabilities.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed())
        .limit(k)
        .toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Prediction p
        && p.digit == digit
        && Arrays.equals(p.probabilities, probabilities);
  }

  @Override
  public int hashCode() {
    return 31 * digit + Arrays.hashCode(probabilities);
  }

  @Override
  public String toString() {
    return "Prediction[digit=" + digit + ", probabilities=" + Arrays.toString(probabilities) + "]";
  }
}
