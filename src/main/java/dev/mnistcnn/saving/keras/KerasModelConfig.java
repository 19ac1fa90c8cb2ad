package dev.mnistcnn.saving.keras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.model.Layer;
import dev.mnistcnn.model.LayerConfig;
import dev.mnistcnn.model.LayerTypes;
import dev.mnistcnn.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link ModelSpec} as a Keras {@code Sequential} config and back. Writes only keys every Keras 3
 * release accepts (dtype as a plain string, no keys added after 3.0); reads Keras 3.0 to current
 * and the legacy Keras 2 layout, ignoring unknown keys.
 */
public final class KerasModelConfig {
  /**
   * The Keras version our files name as their writer: the oldest release they are checked against,
   * whose layout (dtype as a string, no later keys) they follow.
   */
  public static final String KERAS_VERSION = "3.3.3";

  private KerasModelConfig() {}

  /** Keras 3 serialised model, as in a {@code .keras} file's {@code config.json}. */
  public static ObjectNode toKeras3(ModelSpec spec) {
    return toJson(spec, true);
  }

  /**
   * Legacy serialised model ({@code {"class_name", "config"}} without {@code module}), as in the
   * {@code model_config} attribute of a legacy {@code .h5} file.
   */
  public static ObjectNode toLegacy(ModelSpec spec) {
    return toJson(spec, false);
  }

  private static ObjectNode toJson(ModelSpec spec, boolean keras3) {
    ArrayNode layers = Json.MAPPER.createArrayNode();
    ObjectNode input = Json.MAPPER.createObjectNode();
    input.set("batch_shape", batchShape(spec.inputShape()));
    input.put("dtype", "float32");
    input.put("sparse", false);
    input.put("name", "input_layer");
    layers.add(wrap("keras.layers", "InputLayer", input, null, keras3));
    for (int i = 0; i < spec.layers().size(); i++) {
      Layer layer = spec.layers().get(i);
      ObjectNode config = Json.MAPPER.createObjectNode();
      config.put("name", layer.name());
      if (layer.takesTrainableKey()) {
        config.put("trainable", true);
      }
      config.put("dtype", "float32");
      for (Map.Entry<String, Object> e : layer.config().entrySet()) {
        config.set(e.getKey(), Json.MAPPER.valueToTree(e.getValue()));
      }
      if (!keras3) {
        stripModules(config);
      }
      layers.add(wrap("keras.layers", layer.kerasClass(), config, spec.inputShapeOf(i), keras3));
    }
    ObjectNode config = Json.MAPPER.createObjectNode();
    config.put("name", spec.name());
    config.put("trainable", true);
    config.put("dtype", "float32");
    config.set("layers", layers);
    config.set("build_input_shape", batchShape(spec.inputShape()));
    return wrap("keras", "Sequential", config, spec.inputShape(), keras3);
  }

  private static ObjectNode wrap(
      String module,
      String className,
      ObjectNode config,
      List<Integer> inputShape,
      boolean keras3) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    if (keras3) {
      node.put("module", module);
    }
    node.put("class_name", className);
    node.set("config", config);
    if (keras3) {
      node.putNull("registered_name");
      if (inputShape != null) {
        ObjectNode build = Json.MAPPER.createObjectNode();
        build.set("input_shape", batchShape(inputShape));
        node.set("build_config", build);
      }
    }
    return node;
  }

  /** Legacy configs name initializers by {@code class_name}/{@code config} only. */
  private static void stripModules(ObjectNode config) {
    config
        .properties()
        .forEach(
            e -> {
              if (e.getValue() instanceof ObjectNode o && o.has("class_name")) {
                o.remove("module");
                o.remove("registered_name");
              }
            });
  }

  static ArrayNode batchShape(List<Integer> shape) {
    ArrayNode a = Json.MAPPER.createArrayNode();
    a.addNull();
    shape.forEach(a::add);
    return a;
  }

  /** Parses a Keras 3 or legacy Sequential config into a spec. */
  public static ModelSpec parse(JsonNode root) {
    String className = root.path("class_name").asText("");
    if (!className.equals("Sequential")) {
      throw new IllegalArgumentException(
          "only Sequential models are supported, this file holds a '" + className + "' model");
    }
    requireBuiltIn(root, "the model");
    JsonNode config = root.path("config");
    JsonNode layersNode = config.path("layers");
    if (!layersNode.isArray() || layersNode.isEmpty()) {
      throw new IllegalArgumentException("the model config has no layers");
    }
    List<Integer> inputShape = null;
    List<Layer> layers = new ArrayList<>();
    for (JsonNode node : layersNode) {
      String layerClass = node.path("class_name").asText("");
      JsonNode layerConfig = node.path("config");
      String name = layerConfig.path("name").asText(layerClass);
      if (!layerConfig.isObject()) {
        throw new IllegalArgumentException("layer '" + name + "' has no config object");
      }
      requireBuiltIn(node, "layer '" + name + "'");
      requireBuiltInInside(layerConfig, "layer '" + name + "'");
      if (layerClass.equals("Lambda")) {
        throw new IllegalArgumentException(
            "layer '"
                + name
                + "' is a Lambda layer: refused, loading it would run code from the file");
      }
      requireFloat32(layerConfig, name);
      List<Integer> declared = inputShapeOf(layerConfig);
      if (layerClass.equals("InputLayer")) {
        inputShape = declared;
        continue;
      }
      if (inputShape == null && declared != null) {
        inputShape = declared;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> values = Json.MAPPER.convertValue(layerConfig, Map.class);
      layers.add(LayerTypes.fromConfig(new LayerConfig(layerClass, values)));
    }
    if (inputShape == null) {
      inputShape = shapeWithoutBatch(config.path("build_input_shape"));
    }
    if (inputShape == null) {
      inputShape = shapeWithoutBatch(root.path("build_config").path("input_shape"));
    }
    if (inputShape == null) {
      throw new IllegalArgumentException("the model config does not declare its input shape");
    }
    return new ModelSpec(config.path("name").asText("sequential"), inputShape, layers);
  }

  /** Built-in Keras objects carry module "keras..." (or none) and no registered custom name. */
  private static void requireBuiltIn(JsonNode node, String what) {
    String module = node.path("module").asText("keras");
    JsonNode registered = node.get("registered_name");
    boolean custom =
        !(module.equals("keras") || module.startsWith("keras."))
            || (registered != null
                && !registered.isNull()
                && !registered.asText().equals(node.path("class_name").asText()));
    if (custom) {
      throw new IllegalArgumentException(
          what
              + " is a custom object (module "
              + module
              + ", registered name "
              + registered
              + "): custom objects are refused");
    }
  }

  /** Initializers, activations, policies inside a layer config must be built-ins too. */
  private static void requireBuiltInInside(JsonNode config, String what) {
    config
        .properties()
        .forEach(
            e -> {
              JsonNode v = e.getValue();
              if (v.isObject()) {
                if (v.has("class_name")) {
                  requireBuiltIn(v, what + " " + e.getKey());
                }
                requireBuiltInInside(v, what);
              }
            });
  }

  private static void requireFloat32(JsonNode config, String name) {
    JsonNode dtype = config.get("dtype");
    if (dtype == null || dtype.isNull()) {
      return;
    }
    String policy =
        dtype.isTextual() ? dtype.asText() : dtype.path("config").path("name").asText("float32");
    if (!policy.equals("float32")) {
      throw new IllegalArgumentException(
          "layer '" + name + "' uses dtype policy " + policy + "; only float32 is supported");
    }
  }

  private static List<Integer> inputShapeOf(JsonNode config) {
    for (String key : new String[] {"batch_shape", "batch_input_shape"}) {
      List<Integer> s = shapeWithoutBatch(config.path(key));
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  private static List<Integer> shapeWithoutBatch(JsonNode shape) {
    if (!shape.isArray() || shape.size() < 2) {
      return null;
    }
    List<Integer> dims = new ArrayList<>();
    for (int i = 1; i < shape.size(); i++) {
      if (!shape.get(i).isIntegralNumber() || !shape.get(i).canConvertToInt()) {
        throw new IllegalArgumentException("input shape " + shape + " must be fully known");
      }
      dims.add(shape.get(i).asInt());
    }
    return dims;
  }
}
