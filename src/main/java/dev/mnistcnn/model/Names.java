package dev.mnistcnn.model;

/** Keras's naming rules, kept in one place. */
final class Names {
  private Names() {}

  /**
   * {@code MaxPooling2D} -> {@code max_pooling2d}, {@code Conv2D} -> {@code conv2d}, as Keras does.
   */
  static String snakeCase(String className) {
    String s = className.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
    return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
