package dev.mnistcnn.model;

import java.util.List;

/** A (height, width) pair of a 2-D layer: kernel, strides, dilation or pool size. */
public record Size2D(int height, int width) {

  /** Both sides {@code n}. */
  public static Size2D square(int n) {
    return new Size2D(n, n);
  }

  static Size2D of(int[] pair) {
    return new Size2D(pair[0], pair[1]);
  }

  /** Checks both sides as sizes a model file may ask for, naming {@code what} in errors. */
  Size2D requirePositive(String what) {
    Layer.requireDimension(what, height);
    Layer.requireDimension(what, width);
    return this;
  }

  /** As Keras writes it in a config: {@code [h, w]}. */
  List<Integer> toList() {
    return List.of(height, width);
  }

  boolean isOne() {
    return height == 1 && width == 1;
  }
}
