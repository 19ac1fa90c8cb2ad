package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.model.Activation;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.AveragePooling2D;
import dev.mnistcnn.model.BatchNormalization;
import dev.mnistcnn.model.Conv2D;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.Dropout;
import dev.mnistcnn.model.Flatten;
import dev.mnistcnn.model.GlobalPooling2D;
import dev.mnistcnn.model.Layer;
import dev.mnistcnn.model.LeakyReLU;
import dev.mnistcnn.model.MaxPooling2D;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.Padding;
import dev.mnistcnn.model.PoolWindow;
import dev.mnistcnn.model.ReLU;
import dev.mnistcnn.model.Rescaling;
import dev.mnistcnn.model.Reshape;
import dev.mnistcnn.model.Size2D;
import dev.mnistcnn.model.Softmax;
import dev.mnistcnn.model.SpatialDropout2D;
import dev.mnistcnn.model.ZeroPadding2D;
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
  private static final Size2D ONE = Size2D.square(1);

  /** Each layer type with settings away from the defaults, each on an input it fits. */
  private static final List<ModelSpec> CASES =
      List.of(
          one(
              List.of(7, 6, 2),
              new Conv2D(
                  "c",
                  3,
                  new Size2D(3, 2),
                  ONE,
                  Padding.VALID,
                  ONE,
                  true,
                  ActivationFunction.RELU)),
          one(
              List.of(7, 6, 2),
              new Conv2D("c", 1, ONE, ONE, Padding.VALID, ONE, true, ActivationFunction.LINEAR)),
          one(
              List.of(7, 6, 2),
              new Conv2D(
                  "c",
                  4,
                  new Size2D(2, 3),
                  ONE,
                  Padding.VALID,
                  ONE,
                  true,
                  ActivationFunction.SOFTMAX)),
          one(
              List.of(7, 6, 2),
              new MaxPooling2D(
                  "p", new PoolWindow(Size2D.square(3), Size2D.square(2), Padding.VALID))),
          one(List.of(7, 6, 2), new MaxPooling2D(2)),
          one(List.of(7, 6, 2), new Flatten("f")),
          one(List.of(5), new Dense("d", 3, true, ActivationFunction.LINEAR)),
          one(List.of(5), new Dense(7, ActivationFunction.SOFTMAX)),
          one(List.of(5), new Dropout("drop", 0.25)),
          one(List.of(5), new Dropout(0)),
          one(List.of(5), new Activation("a", ActivationFunction.RELU)),
          one(List.of(5), new Activation(ActivationFunction.SOFTMAX)),
          one(List.of(7, 6, 2), new GlobalPooling2D(GlobalPooling2D.Kind.AVERAGE)),
          everyNewLayer(),
          ModelSpec.seedCnn());

  /** The layers beyond the seed's, with settings away from their defaults, in one stack. */
  private static ModelSpec everyNewLayer() {
    return new ModelSpec(
        "all",
        List.of(28, 28, 1),
        List.of(
            new Rescaling(null, 1 / 255.0, 0),
            new ZeroPadding2D(null, 1, 2, 0, 1),
            new Conv2D(
                null,
                4,
                new Size2D(3, 2),
                Size2D.square(2),
                Padding.SAME,
                ONE,
                false,
                ActivationFunction.GELU),
            new BatchNormalization(null, 3, 0.9, 1e-2, false, true),
            new LeakyReLU(null, 0.1),
            new MaxPooling2D(null, new PoolWindow(Size2D.square(3), ONE, Padding.SAME)),
            new SpatialDropout2D(null, 0.1),
            new AveragePooling2D(null, PoolWindow.of(2)),
            new GlobalPooling2D(null, GlobalPooling2D.Kind.MAX, true),
            new Reshape(null, List.of(-1)),
            new Dense(null, 8, false, ActivationFunction.SILU),
            new ReLU(null, 6.0),
            new Dropout(0.2),
            new Dense(null, 10, true, ActivationFunction.LINEAR),
            new Softmax(null)));
  }

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
      String text = Json.MAPPER.writeValueAsString(toKeras.apply(spec));
      assertEquals(spec, KerasModelConfig.parse(Json.MAPPER.readTree(text)), text);
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
