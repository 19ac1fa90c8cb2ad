package dev.mnistcnn.model;

import java.util.List;

/**
 * A weight a layer creates: its Keras name ({@code kernel}, {@code bias}), shape and initializer.
 */
public record WeightSpec(String name, List<Integer> shape, Initializer initializer) {
  public WeightSpec {
    shape = List.copyOf(shape);
  }

  public int size() {
    return shape.stream().reduce(1, Math::multiplyExact);
  }
}
