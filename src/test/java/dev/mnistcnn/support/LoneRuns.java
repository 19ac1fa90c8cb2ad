package dev.mnistcnn.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mnistcnn.TestData;
import dev.mnistcnn.inference.Prediction;
import dev.mnistcnn.inference.Predictor;
import java.util.Arrays;

/**
 * MNIST test images with the shipped model's answer for each run alone: what a batched answer is
 * held to. Batched answers agree to float rounding (TensorFlow's kernels block their sums by batch
 * size, so the last bits may differ, never the digit).
 */
public final class LoneRuns implements AutoCloseable {
  /** Measured differences are below 4e-7; anything near this would be a mix-up, not rounding. */
  public static final float TOLERANCE = 1e-6f;

  private final Predictor predictor;
  private final float[] images;
  private final float[][] alone;

  /** The first {@code n} test images, each run alone through the shipped model. */
  public LoneRuns(int n) throws Exception {
    predictor = Predictor.open(TestData.shippedModel());
    images = TestData.mnist().test().imagesAsFloats(0, n);
    alone = new float[n][];
    for (int i = 0; i < n; i++) {
      alone[i] = predictor.probabilities(image(i), 1);
    }
  }

  /** The model itself, open until {@link #close}. */
  public Predictor predictor() {
    return predictor;
  }

  /** All images end to end. */
  public float[] images() {
    return images;
  }

  /** A copy of image {@code i}. */
  public float[] image(int i) {
    return Arrays.copyOfRange(images, i * Predictor.IMAGE_SIZE, (i + 1) * Predictor.IMAGE_SIZE);
  }

  /** The answer image {@code i} got alone. */
  public float[] alone(int i) {
    return alone[i].clone();
  }

  /** {@code actual} is image {@code i}'s lone answer, to rounding, with the same digit. */
  public void assertAnswers(int i, float[] actual) {
    assertEquals(alone[i].length, actual.length);
    for (int k = 0; k < actual.length; k++) {
      assertEquals(alone[i][k], actual[k], TOLERANCE, "image " + i + ", probability " + k);
    }
    assertEquals(Prediction.of(alone[i]).digit(), Prediction.of(actual).digit());
  }

  @Override
  public void close() {
    predictor.close();
  }
}
