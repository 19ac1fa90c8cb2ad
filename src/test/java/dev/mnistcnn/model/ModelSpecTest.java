package dev.mnistcnn.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(Tier.FAST)
class ModelSpecTest {
  private final ModelSpec seed = ModelSpec.seedCnn();

  @Test
  void seedModelHasKerasParameterCountAndShapes() {
    assertEquals(225_546, seed.parameterCount());
    List<List<Integer>> shapes =
        List.of(
            List.of(24, 24, 32),
            List.of(12, 12, 32),
            List.of(10, 10, 64),
            List.of(5, 5, 64),
            List.of(1600),
            List.of(128),
            List.of(10));
    for (int i = 0; i < shapes.size(); i++) {
      assertEquals(shapes.get(i), seed.inputShapeOf(i + 1), "output of layer " + i);
    }
    assertEquals(List.of(10), seed.outputShape());
  }

  @Test
  void layersAreNamedAsKerasNamesThem() {
    assertEquals(
        List.of(
            "conv2d",
            "max_pooling2d",
            "conv2d_1",
            "max_pooling2d_1",
            "flatten",
            "dense",
            "dense_1"),
        seed.layers().stream().map(Layer::name).toList());
    assertEquals(
        List.of(
            "conv2d/kernel",
            "conv2d/bias",
            "conv2d_1/kernel",
            "conv2d_1/bias",
            "dense/kernel",
            "dense/bias",
            "dense_1/kernel",
            "dense_1/bias"),
        seed.weightRefs().stream().map(ModelSpec.WeightRef::path).toList());
    assertEquals(List.of(5, 5, 1, 32), seed.weightRefs().get(0).spec().shape());
    assertEquals(List.of(1600, 128), seed.weightRefs().get(4).spec().shape());
  }

  @Test
  void summaryTableListsLayersShapesAndTotal() {
    String table = ModelSummary.render(seed);
    assertTrue(table.contains("conv2d (Conv2D)"), table);
    assertTrue(table.contains("(None, 24, 24, 32)"), table);
    assertTrue(table.contains("832"), table);
    assertTrue(table.contains("max_pooling2d_1 (MaxPooling2D)"), table);
    assertTrue(table.contains("204,928"), table);
    assertTrue(table.contains("Total params: 225,546"), table);
  }

  @Test
  void glorotUniformUsesKerasFansAndSymmetricRange() {
    List<Integer> convShape = List.of(5, 5, 1, 32);
    double limit = Math.sqrt(6.0 / (25 * 1 + 25 * 32));
    float[] v = Initializer.GLOROT_UNIFORM.sample(convShape, new Random(1));
    double min = 0;
    double max = 0;
    for (float f : v) {
      min = Math.min(min, f);
      max = Math.max(max, f);
    }
    assertTrue(max <= limit && min >= -limit, "values within +-" + limit);
    assertTrue(
        max > 0.9 * limit && min < -0.9 * limit, "values span both signs: " + min + ".." + max);
  }

  @Test
  void initialWeightsAreReproducibleFromTheSeed() {
    float[] a = seed.initialWeights(7).get("dense/kernel");
    float[] b = seed.initialWeights(7).get("dense/kernel");
    float[] c = seed.initialWeights(8).get("dense/kernel");
    assertTrue(java.util.Arrays.equals(a, b));
    assertTrue(!java.util.Arrays.equals(a, c));
    float[] bias = seed.initialWeights(7).get("dense/bias");
    for (float f : bias) {
      assertEquals(0f, f);
    }
  }

  @Test
  void badStacksFailAtConstructionNamingTheProblem() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ModelSpec(
                    "m", List.of(28, 28, 1), List.of(new Dense(10, ActivationFunction.SOFTMAX))));
    assertTrue(e.getMessage().contains("dense"), e.getMessage());
    var units =
        assertThrows(IllegalArgumentException.class, () -> new Dense(0, ActivationFunction.RELU));
    assertEquals("expected a positive integer. Received: units=0", units.getMessage());
    var big =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ModelSpec(
                    "m", List.of(4, 4, 1), List.of(new Conv2D(8, 5, ActivationFunction.RELU))));
    assertTrue(big.getMessage().contains("does not fit"), big.getMessage());
  }

  @Test
  void sizesAModelFileMayAskForAreBounded() {
    var wide =
        assertThrows(
            IllegalArgumentException.class, () -> new Dense(1_000_000, ActivationFunction.RELU));
    assertEquals("expected at most 65536. Received: units=1000000", wide.getMessage());
    // Each size allowed, but 1600 x 65536 weights exceed the 100 M parameter bound.
    var params =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ModelSpec(
                    "m",
                    List.of(40, 40, 1),
                    List.of(new Flatten(), new Dense(65_536, ActivationFunction.RELU))));
    assertEquals(
        "dense kernel has shape [1600, 65536], more than the 100000000 values this program loads",
        params.getMessage());
    // Small weights, but a 16 M-value activation per image.
    var activations =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ModelSpec(
                    "m",
                    List.of(1024, 1024, 1),
                    List.of(new Conv2D(64, 1, ActivationFunction.RELU))));
    assertTrue(
        activations.getMessage().startsWith("output of layer conv2d has shape [1024, 1024, 64]"),
        activations.getMessage());
  }
}
