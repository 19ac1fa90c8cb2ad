package dev.mnistcnn.saving.keras;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.model.Layer;
import dev.mnistcnn.model.LayerConfig;
import dev.mnistcnn.model.LayerTypes;
import dev.mnistcnn.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The short form of a model spec: a JSON list of {@code {"ClassName": {only the keys that differ
 * from Keras's defaults}}}, e.g. {@code [{"Conv2D": {"filters": 32, "kernel_size": 5, "activation":
 * "relu"}}, {"MaxPooling2D": {}}, {"Flatten": {}}, {"Dense": {"units": 10, "activation":
 * "softmax"}}]}. The input is the seed's 28x28x1 image; layer names are Keras's defaults. A key
 * that the layer does not read (a typo, or a Keras option this program does not implement) is
 * refused by name: in a hand-written file it would otherwise be silently ignored.
 */
public final class ShortSpec {
  private ShortSpec() {}

  /** Parses the list; every error names the layer by position and class. */
  public static ModelSpec parse(JsonNode list) {
    if (!list.isArray() || list.isEmpty()) {
      throw new IllegalArgumentException("a short spec is a non-empty JSON list of layers");
    }
    List<Layer> layers = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode entry = list.get(i);
      String where = "layer " + (i + 1);
      if (!entry.isObject() || entry.size() != 1) {
        throw new IllegalArgumentException(
            where + ": expected {\"ClassName\": {config}}, got " + abbreviated(entry));
      }
      Map.Entry<String, JsonNode> only = entry.properties().iterator().next();
      if (!only.getValue().isObject()) {
        throw new IllegalArgumentException(
            where + " (" + only.getKey() + "): its config must be a JSON object");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> values = Json.MAPPER.convertValue(only.getValue(), Map.class);
      LayerConfig config = new LayerConfig(only.getKey(), values);
      Layer layer;
      try {
        layer = LayerTypes.fromConfig(config);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
      if (!config.unread().isEmpty()) {
        throw new IllegalArgumentException(
            where
                + " ("
                + only.getKey()
                + "): unknown or unsupported keys "
                + config.unread()
                + " (see docs/layers.md)");
      }
      layers.add(layer);
    }
    return new ModelSpec("sequential", ModelSpec.seedCnn().inputShape(), layers);
  }

  private static String abbreviated(JsonNode node) {
    String s = node.toString();
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
