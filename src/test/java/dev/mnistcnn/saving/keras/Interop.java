package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.ModelFormat;
import dev.mnistcnn.saving.ModelWriter;
import dev.mnistcnn.saving.provenance.DatasetProvenance;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.provenance.TrainerProvenance;
import dev.mnistcnn.support.Python;
import dev.mnistcnn.train.Trainer;
import dev.mnistcnn.train.TrainingConfig;
import dev.mnistcnn.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;

/**
 * Artifacts shared by the interop tests, made once per test run under {@code target/keras-interop}:
 * a model trained in Java in all three formats (5 epochs of the seed recipe, 99.0%: enough that one
 * more epoch in Keras, with a fresh optimizer, stays above 99%; 3 epochs gave 98.6%), and the seed
 * recipe trained in Python Keras (1 epoch on 10,000 images) saved all three ways.
 */
final class Interop {
  static final Path DIR = TestData.projectDir().resolve("target/keras-interop").toAbsolutePath();
  static final float TOLERANCE = 1e-5f;

  private static JavaModel javaModel;
  private static PythonModel pythonModel;

  private Interop() {}

  /** The Java-trained model, its files and its probabilities on the 10,000 test images. */
  @SuppressWarnings("ArrayRecordComponent") // probabilities to read, never compared
  record JavaModel(Path keras, Path h5, Path savedModel, float[] probabilities) {}

  /** The Python-trained model's files and Python's probabilities for each. */
  record PythonModel(Path keras, Path h5, Path export, Map<Path, float[]> probabilities) {}

  static synchronized JavaModel javaModel() throws Exception {
    if (javaModel == null) {
      Path dir = fresh("java");
      ModelWeights weights;
      TrainingConfig config = TrainingConfig.seedRecipe().withEpochs(5);
      try (Trainer trainer = new Trainer(ModelSpec.seedCnn().initialWeights(42), config)) {
        trainer.fit(TestData.mnist().train(), TestData.mnist().test(), TrainingListener.NONE);
        weights = trainer.weights();
      }
      Provenance provenance =
          Provenance.create(
              RuntimeVersions.current(),
              "interop test",
              new DatasetProvenance("mnist", Map.of()),
              new TrainerProvenance(42L, config.describe()),
              null,
              null,
              KerasModelConfig.toKeras3(weights.spec()),
              null);
      JavaModel m =
          new JavaModel(
              dir.resolve("java.keras"), dir.resolve("java.h5"), dir.resolve("java-sm"), null);
      ModelWriter.write(weights, provenance, m.keras(), ModelFormat.KERAS);
      ModelWriter.write(weights, provenance, m.h5(), ModelFormat.H5);
      ModelWriter.write(weights, provenance, m.savedModel(), ModelFormat.SAVED_MODEL);
      try (Predictor p = Predictor.fromWeights(weights, "trained")) {
        javaModel = new JavaModel(m.keras(), m.h5(), m.savedModel(), probabilities(p));
      }
    }
    return javaModel;
  }

  static synchronized PythonModel pythonModel() throws Exception {
    if (pythonModel == null) {
      Path dir = fresh("python");
      Path keras = dir.resolve("seed.keras");
      Path h5 = dir.resolve("seed.h5");
      Path export = dir.resolve("export");
      Python.runJson(
          Python.keras(),
          "reference/keras_seed.py",
          "--epochs",
          "1",
          "--limit",
          "10000",
          "--seed",
          "42",
          "--data",
          mnistDir(),
          "--save-keras",
          keras,
          "--save-h5",
          h5,
          "--export",
          export,
          "--json");
      List<Path> models = List.of(keras, h5, export);
      List<float[]> probs = predictInPython(Python.keras(), dir.resolve("probs"), models);
      pythonModel =
          new PythonModel(
              keras,
              h5,
              export,
              Map.of(keras, probs.get(0), h5, probs.get(1), export, probs.get(2)));
    }
    return pythonModel;
  }

  /** Python's probabilities for each model ({@code path} or {@code path@via}), one process. */
  static List<float[]> predictInPython(Path python, Path outDir, List<?> models) throws Exception {
    JsonNode result = predictJson(python, outDir, models);
    List<float[]> out = new ArrayList<>();
    for (JsonNode m : result.get("models")) {
      out.add(Python.readNpy(Path.of(m.get("out").asText())));
    }
    return out;
  }

  static JsonNode predictJson(Path python, Path outDir, List<?> models) throws Exception {
    List<Object> args =
        new ArrayList<>(
            List.of(
                "predict",
                "--idx-images",
                mnistDir().resolve("t10k-images-idx3-ubyte"),
                "--out-dir",
                outDir));
    args.addAll(models);
    return Python.runJson(python, "fixtures/keras_interop.py", args.toArray());
  }

  static Path mnistDir() {
    TestData.mnist(); // fetches the files on first use
    return TestData.projectDir().resolve("mnist-data").toAbsolutePath();
  }

  /** Java's probabilities for a model file or directory, on all 10,000 test images. */
  static float[] javaProbabilities(Path model) throws Exception {
    try (Predictor p = Predictor.open(model)) {
      return probabilities(p);
    }
  }

  static float[] probabilities(Predictor p) {
    Split test = TestData.mnist().test();
    float[] out = new float[test.count() * p.classes()];
    for (int from = 0; from < test.count(); from += 1000) {
      int n = Math.min(1000, test.count() - from);
      float[] probs = p.probabilities(test.imagesAsFloats(from, n), n);
      System.arraycopy(probs, 0, out, from * p.classes(), probs.length);
    }
    return out;
  }

  /** Max abs difference within {@link #TOLERANCE} and the same predicted class for every image. */
  static void assertSamePredictions(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": number of probabilities");
    double maxDiff = 0;
    int classes = 10;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
    }
    for (int img = 0; img < expected.length / classes; img++) {
      assertEquals(
          argmax(expected, img * classes),
          argmax(actual, img * classes),
          what + ": predicted class of test image " + img);
    }
    System.out.printf(
        "[interop] %s: %d images, max abs diff %.2e%n", what, expected.length / classes, maxDiff);
    assertTrue(maxDiff <= TOLERANCE, what + ": max abs diff " + maxDiff);
  }

  /** The share of the 10,000 MNIST test images whose most probable class is their label. */
  static double accuracy(float[] probabilities) {
    var test = TestData.mnist().test();
    int right = 0;
    for (int i = 0; i < test.count(); i++) {
      right += argmax(probabilities, i * 10) == test.label(i) ? 1 : 0;
    }
    return (double) right / test.count();
  }

  static int argmax(float[] p, int offset) {
    int best = 0;
    for (int c = 1; c < 10; c++) {
      if (p[offset + c] > p[offset + best]) {
        best = c;
      }
    }
    return best;
  }

  static Path fresh(String name) throws Exception {
    Path dir = DIR.resolve(name);
    FileUtils.deleteDirectory(dir.toFile());
    return Files.createDirectories(dir);
  }
}
