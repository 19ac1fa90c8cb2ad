package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.inference.InferenceTimeoutException;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.ModelFormat;
import dev.mnistcnn.saving.ModelWriter;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.keras.LegacyH5;
import dev.mnistcnn.saving.keras.ShortSpec;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.support.Cli.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NaN never replaces a model (training stops, writers refuse, readers refuse unless trusted), and a
 * model file's compute per image is capped unless trusted.
 */
@Tag(Tier.FAST)
class NonFiniteAndComputeTest {
  @TempDir Path tmp;

  private static final String[] TINY = {
    "--limit", "200", "--epochs", "1", "--batch-size", "100", "--precision", "fp32"
  };

  private static String idx() {
    return TestData.projectDir().resolve("mnist-data/t10k-images-idx3-ubyte").toString();
  }

  private static String[] train(String... more) {
    String[] args = new String[1 + TINY.length + more.length];
    args[0] = "train";
    System.arraycopy(TINY, 0, args, 1, TINY.length);
    System.arraycopy(more, 0, args, 1 + TINY.length, more.length);
    return args;
  }

  @Test
  void aDivergingRunStopsAndKeepsThePreviousModel() throws Exception {
    Path good = tmp.resolve("good");
    assertEquals(0, Cli.run(train("--output", good.toString())).code());
    byte[] before = Files.readAllBytes(good.resolve("variables/variables.data-00000-of-00001"));
    Run r = Cli.run(train("--learning-rate", "1e30", "--output", good.toString()));
    r.assertOneLineError("training stopped: the loss is NaN at epoch 1, step");
    assertArrayEquals(
        before, Files.readAllBytes(good.resolve("variables/variables.data-00000-of-00001")));
  }

  private static ModelWeights withNaN() {
    ModelWeights w = ModelSpec.seedCnn().initialWeights(1);
    Map<String, float[]> values = new LinkedHashMap<>(w.values());
    float[] kernel = values.get("dense/kernel").clone();
    kernel[7] = Float.NaN;
    values.put("dense/kernel", kernel);
    return ModelWeights.of(w.spec(), values);
  }

  private static Provenance provenance(ModelSpec spec) {
    return Provenance.foreign("test", null, null, KerasModelConfig.toKeras3(spec));
  }

  @Test
  void nonFiniteWeightsAreNeitherWrittenNorLoadedUnlessTrusted() throws Exception {
    ModelWeights nan = withNaN();
    Path refused = tmp.resolve("refused.keras");
    IOException e =
        assertThrows(
            IOException.class,
            () -> ModelWriter.write(nan, provenance(nan.spec()), refused, ModelFormat.KERAS));
    assertTrue(e.getMessage().contains("dense/kernel [7] = NaN"), e.getMessage());
    assertFalse(Files.exists(refused));

    Path h5 = tmp.resolve("nan.h5"); // as a damaged or foreign file would hold them
    LegacyH5.write(nan, provenance(nan.spec()), h5);
    String m = h5.toString();
    Cli.run("predict", "--model", m, "--idx", idx(), "--limit", "2")
        .assertOneLineError("weights are not all finite (dense/kernel [7] = NaN)");
    Cli.run("evaluate", "--model", m).assertOneLineError("not all finite");
    Run trusted = Cli.run("predict", "--trust-model", "--model", m, "--idx", idx(), "--limit", "2");
    assertEquals(0, trusted.code(), trusted.err());
  }

  @Test
  void aModelCostingMoreThanTheFlopsCapIsRefusedUnlessTrusted() throws Exception {
    long seed = ModelSpec.seedCnn().flopsPerImage();
    assertTrue(seed > 4_800_000 && seed < 5_200_000, "seed CNN: " + seed);
    ModelSpec heavy =
        ShortSpec.parse(
            Json.MAPPER.readTree(
                "[{\"Conv2D\": {\"filters\": 256, \"kernel_size\": 3}},"
                    + " {\"Conv2D\": {\"filters\": 512, \"kernel_size\": 3}},"
                    + " {\"GlobalMaxPooling2D\": {}},"
                    + " {\"Dense\": {\"units\": 10, \"activation\": \"softmax\"}}]"));
    assertTrue(heavy.flopsPerImage() > ModelSpec.MAX_FLOPS_PER_IMAGE, "" + heavy.flopsPerImage());
    Path h5 = tmp.resolve("heavy.h5");
    LegacyH5.write(heavy.initialWeights(1), provenance(heavy), h5);
    Cli.run("predict", "--model", h5.toString(), "--idx", idx(), "--limit", "2")
        .assertOneLineError("FLOPs per image, more than the 1,000,000,000 allowed");
    Run trusted =
        Cli.run(
            "predict", "--trust-model", "--model", h5.toString(), "--idx", idx(), "--limit", "1");
    assertEquals(0, trusted.code(), trusted.err());
  }

  /**
   * A trusted model slow per image runs large batches in chunks of about a second, so that the run
   * timeout, checked between chunks, stops a request mid-way instead of after all its images (the
   * batch lane used to take 128 at a time whatever they cost).
   */
  @Test
  void aSlowModelRunsInChunksTheRunTimeoutCanStopBetween() throws Exception {
    ModelSpec slow =
        ShortSpec.parse(
            Json.MAPPER.readTree(
                "[{\"Conv2D\": {\"filters\": 512, \"kernel_size\": 3}},"
                    + " {\"Conv2D\": {\"filters\": 1024, \"kernel_size\": 3}},"
                    + " {\"GlobalMaxPooling2D\": {}},"
                    + " {\"Dense\": {\"units\": 10, \"activation\": \"softmax\"}}]"));
    Path h5 = tmp.resolve("slow.h5");
    LegacyH5.write(slow.initialWeights(1), provenance(slow), h5);
    try (Predictor predictor = Predictor.open(h5, ModelTrust.TRUSTED)) {
      assertTrue(predictor.chunk() < 64, "chunk of the slow model: " + predictor.chunk());
      predictor.setRunTimeout(Duration.ofMillis(500));
      float[] images = TestData.mnist().test().imagesAsFloats(0, 128);
      InferenceTimeoutException e =
          assertThrows(InferenceTimeoutException.class, () -> predictor.probabilities(images, 128));
      assertTrue(e.getMessage().matches(".* after [1-9][0-9]* of 128 images"), e.getMessage());
    }
    try (Predictor seed = Predictor.open(TestData.shippedModel())) {
      assertEquals(128, seed.chunk(), "the seed CNN keeps its measured-best chunk");
    }
  }
}
