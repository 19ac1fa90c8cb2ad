package dev.mnistcnn.model;

/** Keras {@code MaxPooling2D}, channels last. */
public record MaxPooling2D(String name, PoolWindow window) implements Pooling2D {
  /** The TensorFlow op type this layer builds. */
  public static final String OP_TYPE = "MaxPool";

  public MaxPooling2D(int poolSize) {
    this(null, PoolWindow.of(poolSize));
  }

  @Override
  public String kerasClass() {
    return "MaxPooling2D";
  }

  @Override
  public String opType() {
    return OP_TYPE;
  }

  @Override
  public MaxPooling2D withName(String name) {
    return new MaxPooling2D(name, window);
  }

  static MaxPooling2D fromConfig(LayerConfig c) {
    return new MaxPooling2D(c.name(), PoolWindow.fromConfig(c));
  }
}
