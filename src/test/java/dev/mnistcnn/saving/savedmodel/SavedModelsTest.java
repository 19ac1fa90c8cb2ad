package dev.mnistcnn.saving.savedmodel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.provenance.DatasetProvenance;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.provenance.TrainerProvenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;

@Tag(Tier.FAST)
class SavedModelsTest {
  @TempDir Path tmp;

  private static Provenance provenance(ModelSpec spec) {
    return Provenance.create(
        RuntimeVersions.current(),
        "test",
        new DatasetProvenance("mnist", Map.of()),
        new TrainerProvenance(3L, Map.of()),
        null,
        null,
        KerasModelConfig.toKeras3(spec),
        null);
  }

  @Test
  void exportThenLoadGivesIdenticalPredictionsAndWeights() throws Exception {
    ModelSpec spec = ModelSpec.seedCnn();
    ModelWeights weights = spec.initialWeights(3);
    Path dir = tmp.resolve("model");
    SavedModels.export(weights, provenance(spec), dir);

    assertTrue(Files.isRegularFile(dir.resolve("saved_model.pb")));
    assertTrue(Files.isRegularFile(dir.resolve(Provenance.FILE_NAME)));
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString())) {
      Signature sig = bundle.function(Signature.DEFAULT_KEY).signature();
      assertEquals("tensorflow/serving/predict", sig.methodName());
      assertEquals(java.util.Set.of("input_layer"), sig.inputNames());
      assertEquals(java.util.Set.of("output_0"), sig.outputNames());
    }

    Split test = TestData.mnist().test();
    float[] images = test.imagesAsFloats(0, 500);
    try (Predictor loaded = Predictor.open(dir);
        Predictor inMemory = Predictor.fromWeights(weights, "in memory")) {
      assertArrayEquals(inMemory.probabilities(images, 500), loaded.probabilities(images, 500));
    }
    ModelWeights back = SavedModels.readWeights(dir);
    for (String path : weights.values().keySet()) {
      assertArrayEquals(weights.get(path), back.get(path), path);
    }
    assertEquals(spec, back.spec());
  }

  @Test
  void failedExportLeavesThePreviousModelInPlace() throws Exception {
    ModelSpec spec = ModelSpec.seedCnn();
    Path dir = tmp.resolve("model");
    SavedModels.export(spec.initialWeights(1), provenance(spec), dir);
    byte[] before = Files.readAllBytes(dir.resolve("variables/variables.data-00000-of-00001"));

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                AtomicFiles.writeDirectory(
                    dir,
                    t -> {
                      Files.createDirectories(t.resolve("variables"));
                      Files.writeString(t.resolve("saved_model.pb"), "half");
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertArrayEquals(
        before, Files.readAllBytes(dir.resolve("variables/variables.data-00000-of-00001")));
    try (Predictor p = Predictor.open(dir)) {
      assertEquals(10, p.classes());
    }
    try (var siblings = Files.list(tmp)) {
      assertEquals(1, siblings.count(), "no temporary directories left behind");
    }
  }
}
