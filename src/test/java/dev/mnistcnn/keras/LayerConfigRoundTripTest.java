package dev.mnistcnn.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistcnn.Tier;
import dev.mnistcnn.model.Activation;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Conv2D;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.Dropout;
import dev.mnistcnn.model.Flatten;
import dev.mnistcnn.model.Layer;
import dev.mnistcnn.model.MaxPooling2D;
import dev.mnistcnn.model.ModelSpec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code parse(toKeras(spec)).equals(spec)} for every layer type, in both the Keras 3 and the
 * legacy form, through JSON text as files carry it. A new layer type fails {@link
 * #everyLayerTypeIsCovered} until it has a case here.
 */
@Tag(Tier.FAST)
class LayerConfigRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Each layer type with settings away from the defaults, each on an input it fits. */
  private static final List<ModelSpec> CASES =
      List.of(
          one(List.of(7, 6, 2), new Conv2D("c", 3, 3, 2, ActivationFunction.RELU)),
          one(List.of(7, 6, 2), new Conv2D("c", 1, 1, 1, ActivationFunction.LINEAR)),
          one(List.of(7, 6, 2), new Conv2D("c", 4, 2, 3, ActivationFunction.SOFTMAX)),
          one(List.of(7, 6, 2), new MaxPooling2D("p", 3, 2)),
          one(List.of(7, 6, 2), new MaxPooling2D(2)),
          one(List.of(7, 6, 2), new Flatten("f")),
          one(List.of(5), new Dense("d", 3, ActivationFunction.LINEAR)),
          one(List.of(5), new Dense(7, ActivationFunction.SOFTMAX)),
          one(List.of(5), new Dropout("drop", 0.25)),
          one(List.of(5), new Dropout(0)),
          one(List.of(5), new Activation("a", ActivationFunction.RELU)),
          one(List.of(5), new Activation(ActivationFunction.SOFTMAX)),
          ModelSpec.seedCnn());

  private static ModelSpec one(List<Integer> inputShape, Layer layer) {
    return new ModelSpec("round_trip", inputShape, List.of(layer));
  }

  @Test
  void keras3ConfigRoundTripsEveryLayerType() throws Exception {
    assertRoundTrips(KerasModelConfig::toKeras3);
  }

  @Test
  void legacyConfigRoundTripsEveryLayerType() throws Exception {
    assertRoundTrips(KerasModelConfig::toLegacy);
  }

  private static void assertRoundTrips(Function<ModelSpec, JsonNode> toKeras) throws Exception {
    for (ModelSpec spec : CASES) {
      String text = JSON.writeValueAsString(toKeras.apply(spec));
      assertEquals(spec, KerasModelConfig.parse(JSON.readTree(text)), text);
    }
  }

  @Test
  void everyLayerTypeIsCovered() {
    Set<String> covered =
        CASES.stream()
            .flatMap(s -> s.layers().stream())
            .map(l -> l.getClass().getSimpleName())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(layerTypes(), covered, "add a case to CASES for each new layer type");
  }

  /** The concrete layer classes the sealed {@link Layer} hierarchy permits. */
  private static Set<String> layerTypes() {
    Set<String> types = new TreeSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>(List.of(Layer.class));
    while (!todo.isEmpty()) {
      Class<?> c = todo.pop();
      if (c.isSealed()) {
        todo.addAll(List.of(c.getPermittedSubclasses()));
      } else {
        types.add(c.getSimpleName());
      }
    }
    return types;
  }
}
