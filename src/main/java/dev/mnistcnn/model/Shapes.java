package dev.mnistcnn.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small shape and config helpers shared by the layer records. */
final class Shapes {
  private Shapes() {}

  /** Options of weighted layers this program does not implement: written null, refused if set. */
  static final List<String> REGULARIZER_KEYS =
      List.of(
          "kernel_regularizer",
          "bias_regularizer",
          "activity_regularizer",
          "kernel_constraint",
          "bias_constraint");

  static void requireRank(Layer layer, List<Integer> shape, int rank) {
    if (shape.size() != rank) {
      throw new IllegalArgumentException(
          layer.name()
              + " ("
              + layer.kerasClass()
              + ") expects an input of rank "
              + (rank + 1)
              + " including the batch, got (None, "
              + join(shape)
              + ")");
    }
  }

  static String join(List<Integer> shape) {
    return String.join(", ", shape.stream().map(String::valueOf).toList());
  }

  /**
   * Keras 3 serialised initializer: {@code {"module", "class_name", "config", "registered_name"}}.
   */
  static Map<String, Object> initializerConfig(Initializer init) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("module", "keras.initializers");
    m.put("class_name", init.kerasClass());
    Map<String, Object> cfg = new LinkedHashMap<>();
    if (init == Initializer.GLOROT_UNIFORM) {
      cfg.put("seed", null);
    }
    m.put("config", cfg);
    m.put("registered_name", null);
    return m;
  }

  /**
   * The keys Conv2D and Dense share: activation, bias, initializers, and the regularizers and
   * constraints this program does not implement (written as null, as Keras writes them).
   */
  static void putWeightedLayerConfig(
      Map<String, Object> c, ActivationFunction activation, boolean useBias) {
    c.put("activation", activation.kerasName());
    c.put("use_bias", useBias);
    c.put("kernel_initializer", initializerConfig(Initializer.GLOROT_UNIFORM));
    c.put("bias_initializer", initializerConfig(Initializer.ZEROS));
    for (String key : REGULARIZER_KEYS) {
      c.put(key, null);
    }
  }
}
