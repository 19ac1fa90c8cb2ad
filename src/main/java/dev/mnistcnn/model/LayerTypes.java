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
      Map.ofEntries(
          Map.entry("Conv2D", Conv2D::fromConfig),
          Map.entry("Dense", Dense::fromConfig),
          Map.entry("Activation", Activation::fromConfig),
          Map.entry("BatchNormalization", BatchNormalization::fromConfig),
          Map.entry("Dropout", Dropout::fromConfig),
          Map.entry("SpatialDropout2D", SpatialDropout2D::fromConfig),
          Map.entry("MaxPooling2D", MaxPooling2D::fromConfig),
          Map.entry("AveragePooling2D", AveragePooling2D::fromConfig),
          Map.entry(
              "GlobalAveragePooling2D",
              c -> GlobalPooling2D.fromConfig(c, GlobalPooling2D.Kind.AVERAGE)),
          Map.entry(
              "GlobalMaxPooling2D", c -> GlobalPooling2D.fromConfig(c, GlobalPooling2D.Kind.MAX)),
          Map.entry("Flatten", Flatten::fromConfig),
          Map.entry("Reshape", Reshape::fromConfig),
          Map.entry("Rescaling", Rescaling::fromConfig),
          Map.entry("ZeroPadding2D", ZeroPadding2D::fromConfig),
          Map.entry("ReLU", ReLU::fromConfig),
          Map.entry("LeakyReLU", LeakyReLU::fromConfig),
          Map.entry("Softmax", Softmax::fromConfig));

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
