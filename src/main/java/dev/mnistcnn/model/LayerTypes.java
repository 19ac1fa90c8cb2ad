package dev.mnistcnn.model;

import java.util.Map;
import java.util.function.Function;

/**
 * The layer types this program understands, by Keras class name. Adding a layer type takes three
 * places: its record (config, output shape, weights, call, fromConfig); its name in the {@code
 * permits} clause of {@link Layer} (or of {@link ActivatedLayer}, when it takes an activation), as
 * the layer interfaces are sealed; and one line here.
 */
public final class LayerTypes {
  private LayerTypes() {}

  private static final Map<String, Function<LayerConfig, Layer>> FROM_CONFIG =
      Map.of(
          "Conv2D", Conv2D::fromConfig,
          "MaxPooling2D", MaxPooling2D::fromConfig,
          "Flatten", Flatten::fromConfig,
          "Dense", Dense::fromConfig,
          "Dropout", Dropout::fromConfig,
          "Activation", Activation::fromConfig);

  /** Builds a layer from its Keras config; refuses unknown classes, naming the layer. */
  public static Layer fromConfig(LayerConfig config) {
    Function<LayerConfig, Layer> factory = FROM_CONFIG.get(config.className());
    if (factory == null) {
      throw new IllegalArgumentException(
          "layer '"
              + config.name()
              + "' has unsupported type "
              + config.className()
              + " (supported: "
              + new java.util.TreeSet<>(FROM_CONFIG.keySet())
              + ")");
    }
    return factory.apply(config);
  }
}
