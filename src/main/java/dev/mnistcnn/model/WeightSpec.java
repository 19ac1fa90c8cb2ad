package dev.mnistcnn.model;

import java.util.List;

/**
 * A weight a layer creates: its Keras name ({@code kernel}, {@code moving_mean}), shape,
 * initializer, and whether the optimizer trains it (BatchNormalization's moving statistics are
 * updated by the layer itself, not by gradients).
 */
public record WeightSpec(
    String name, List<Integer> shape, Initializer initializer, boolean trainable) {
  public WeightSpec {
    shape = List.copyOf(shape);
  }

  /** A trainable weight. */
  public WeightSpec(String name, List<Integer> shape, Initializer initializer) {
    this(name, shape, initializer, true);
  }

  public int size() {
    return shape.stream().reduce(1, Math::multiplyExact);
  }
}
