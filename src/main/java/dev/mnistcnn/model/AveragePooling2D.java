package dev.mnistcnn.model;

/**
 * Keras {@code AveragePooling2D}, channels last; with "same" padding the mean is over the window's
 * positions inside the input, as TensorFlow's {@code AvgPool} computes it.
 */
public record AveragePooling2D(String name, PoolWindow window) implements Pooling2D {

  @Override
  public String kerasClass() {
    return "AveragePooling2D";
  }

  @Override
  public String opType() {
    return "AvgPool";
  }

  @Override
  public AveragePooling2D withName(String name) {
    return new AveragePooling2D(name, window);
  }

  static AveragePooling2D fromConfig(LayerConfig c) {
    return new AveragePooling2D(c.name(), PoolWindow.fromConfig(c));
  }
}
