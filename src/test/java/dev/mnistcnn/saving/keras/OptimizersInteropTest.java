package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.support.Python;
import dev.mnistcnn.train.OptimizerSpec;
import dev.mnistcnn.train.Trainer;
import dev.mnistcnn.train.TrainingConfig;
import dev.mnistcnn.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every optimizer against real Keras 3.15 ({@code tools/fixtures/keras_optimizers.py}): one small
 * CNN with Keras's initial weights, the same batch of the first 64 MNIST training images, a few
 * steps in Keras and in Java; every weight within 1e-5. Keras builds each optimizer from the config
 * Java records in provenance ({@link OptimizerSpec#kerasConfig()}) and must read it back unchanged.
 */
@Tag(Tier.PYTHON)
class OptimizersInteropTest {
  private static final int IMAGES = 64;
  private static final int STEPS = 4;
  private static final List<OptimizerSpec> OPTIMIZERS =
      List.of(
          OptimizerSpec.Adam.DEFAULTS,
          OptimizerSpec.Sgd.DEFAULTS,
          new OptimizerSpec.Sgd(0.1, 0.9, false),
          new OptimizerSpec.Sgd(0.1, 0.9, true),
          OptimizerSpec.RmsProp.DEFAULTS,
          new OptimizerSpec.RmsProp(0.002, 0.8, 0.5, 1e-6));

  @Test
  void fewStepsOfEachOptimizerEndWithKerasWeights() throws Exception {
    Path dir = Interop.fresh("optimizers");
    List<Object> args =
        new ArrayList<>(
            List.of(
                "--out", dir, "--data", Interop.mnistDir(), "--images", IMAGES, "--steps", STEPS));
    for (OptimizerSpec o : OPTIMIZERS) {
      args.add(
          Json.MAPPER.writeValueAsString(
              Map.of("class_name", o.kerasName(), "config", o.kerasConfig())));
    }
    JsonNode keras = Python.runJson(Python.keras(), "fixtures/keras_optimizers.py", args.toArray());
    ModelWeights initial = ModelReader.read(Path.of(keras.get("initial").asText()), null).weights();
    for (int i = 0; i < OPTIMIZERS.size(); i++) {
      OptimizerSpec optimizer = OPTIMIZERS.get(i);
      JsonNode result = keras.get("optimizers").get(i);
      assertSameConfig(optimizer, result.get("config"));
      assertEquals(STEPS, result.get("iterations").asInt(), "Keras's step count");
      ModelWeights java = train(initial, optimizer);
      double maxDiff = 0;
      double maxMove = 0;
      for (Map.Entry<String, JsonNode> weight : result.get("weights").properties()) {
        float[] expected = Python.readNpy(Path.of(weight.getValue().asText()));
        float[] actual = java.get(weight.getKey());
        float[] before = initial.get(weight.getKey());
        assertEquals(expected.length, actual.length, weight.getKey());
        for (int j = 0; j < expected.length; j++) {
          maxDiff = Math.max(maxDiff, Math.abs(expected[j] - actual[j]));
          maxMove = Math.max(maxMove, Math.abs(expected[j] - before[j]));
        }
      }
      System.out.printf(
          "[optimizers] %s %s: %d steps, weights moved up to %.2e, max |dw| Java vs Keras %.2e%n",
          optimizer.kerasName(), optimizer.kerasConfig(), STEPS, maxMove, maxDiff);
      assertTrue(maxMove > 1e-3, optimizer + ": training moved the weights: " + maxMove);
      assertTrue(maxDiff <= 1e-5, optimizer + ": max |dw| " + maxDiff);
    }
  }

  /** {@code STEPS} steps on the first {@code IMAGES} training images, one batch per epoch. */
  private static ModelWeights train(ModelWeights initial, OptimizerSpec optimizer) {
    TrainingConfig config =
        TrainingConfig.seedRecipe()
            .withEpochs(STEPS)
            .withBatchSize(IMAGES)
            .withLimit(IMAGES)
            .withOptimizer(optimizer);
    try (Trainer trainer = new Trainer(initial, config)) {
      var data = TestData.mnist();
      trainer.fit(data.train(), data.test(), new TrainingListener() {});
      return trainer.weights();
    }
  }

  /** Keras read every key of our config as we wrote it. */
  private static void assertSameConfig(OptimizerSpec optimizer, JsonNode keras) {
    for (Map.Entry<String, Object> e : optimizer.kerasConfig().entrySet()) {
      JsonNode value = keras.get(e.getKey());
      String what = optimizer.kerasName() + " config " + e.getKey() + " as Keras reads it";
      if (e.getValue() instanceof Boolean b) {
        assertEquals(b, value.asBoolean(), what);
      } else if (e.getKey().equals("learning_rate")) {
        // Keras keeps it in a float32 variable and writes that variable's value back.
        assertEquals((float) (double) (Double) e.getValue(), (float) value.asDouble(), what);
      } else {
        assertEquals(((Double) e.getValue()), value.asDouble(), 1e-12, what);
      }
    }
    assertTrue(
        Arrays.asList("Adam", "SGD", "RMSprop").contains(optimizer.kerasName()),
        optimizer.kerasName());
  }
}
