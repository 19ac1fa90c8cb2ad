package dev.mnistcnn.model;

import java.util.List;
import java.util.Random;

/**
 * Keras initializers, computed in Java. The framework's VarianceScaling family is wrong in TF Java
 * 1.1.0 (uniform samples [0, limit), conv fans count input channels twice), so we own this.
 */
public enum Initializer {
  /** Keras {@code glorot_uniform}: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)). */
  GLOROT_UNIFORM("GlorotUniform") {
    @Override
    public float[] sample(List<Integer> shape, Random rng) {
      int[] fans = fans(shape);
      double limit = Math.sqrt(6.0 / (fans[0] + fans[1]));
      float[] values = new float[size(shape)];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
      }
      return values;
    }
  },
  /** Keras {@code zeros}. */
  ZEROS("Zeros") {
    @Override
    public float[] sample(List<Integer> shape, Random rng) {
      return new float[size(shape)];
    }
  },
  /** Keras {@code ones}. */
  ONES("Ones") {
    @Override
    public float[] sample(List<Integer> shape, Random rng) {
      float[] values = new float[size(shape)];
      java.util.Arrays.fill(values, 1f);
      return values;
    }
  };

  private final String kerasClass;

  Initializer(String kerasClass) {
    this.kerasClass = kerasClass;
  }

  /** Class name in a Keras config, e.g. {@code GlorotUniform}. */
  public String kerasClass() {
    return kerasClass;
  }

  public abstract float[] sample(List<Integer> shape, Random rng);

  /**
   * Keras's {@code compute_fans}: dense (in, out) -> (in, out); conv (kh, kw, in, out) ->
   * (kh*kw*in, kh*kw*out).
   */
  static int[] fans(List<Integer> shape) {
    if (shape.size() < 2) {
      int n = shape.isEmpty() ? 1 : shape.get(0);
      return new int[] {n, n};
    }
    int receptive = 1;
    for (int i = 0; i < shape.size() - 2; i++) {
      receptive *= shape.get(i);
    }
    return new int[] {
      receptive * shape.get(shape.size() - 2), receptive * shape.get(shape.size() - 1)
    };
  }

  private static int size(List<Integer> shape) {
    return shape.stream().reduce(1, Math::multiplyExact);
  }
}
