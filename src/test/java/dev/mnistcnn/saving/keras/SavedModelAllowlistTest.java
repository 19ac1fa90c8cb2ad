package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.InferenceException;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import dev.mnistcnn.saving.savedmodel.UntrustedModelException;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.support.Cli.Run;
import dev.mnistcnn.support.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real SavedModels written by Python TensorFlow ({@code tools/fixtures/make_test_savedmodels.py}):
 * the evil ones are refused by every path that loads a model, naming the op, and write nothing; the
 * same files run when trusted (so the refusal is what kept them from running); our shipped model
 * and a Keras {@code model.export()} still load.
 */
@Tag(Tier.PYTHON)
class SavedModelAllowlistTest {
  @TempDir static Path dir;
  private static Path target;
  private static JsonNode models;

  @BeforeAll
  static void writeModels() throws Exception {
    target = dir.resolve("written-by-model.txt");
    models =
        Python.runJson(
            Python.keras(), "fixtures/make_test_savedmodels.py", dir.resolve("m"), target);
  }

  @AfterEach
  void removeTarget() throws Exception {
    Files.deleteIfExists(target);
  }

  private static Path model(String name) {
    return Path.of(models.get(name).asText());
  }

  private static String refusal(String name) {
    InferenceException e =
        assertThrows(InferenceException.class, () -> Predictor.open(model(name)).close());
    assertTrue(e.getCause() instanceof UntrustedModelException, "refused by the check: " + e);
    assertTrue(e.getMessage().contains("--trust-model"), e.getMessage());
    UntrustedModelException read =
        assertThrows(UntrustedModelException.class, () -> ModelReader.read(model(name), null));
    assertEquals(e.getMessage(), read.getMessage());
    return e.getMessage();
  }

  @Test
  void writeFileInTheSignatureIsRefusedAndWritesNothing() throws Exception {
    assertTrue(refusal("write-file").contains("op WriteFile (node 'WriteFile' of function"));
    assertFalse(Files.exists(target));
    // Trusted, the same file does write: the check is what stopped it.
    try (Predictor p = Predictor.open(model("write-file"), ModelTrust.TRUSTED)) {
      p.predict(new float[Predictor.IMAGE_SIZE]);
    }
    assertTrue(Files.exists(target));
  }

  @Test
  void readFileIsRefused() {
    assertTrue(refusal("read-file").contains("op ReadFile (node 'ReadFile' of function"));
  }

  @Test
  void pythonFunctionIsRefusedAndWritesNothing() {
    assertTrue(refusal("py-func").contains("op EagerPyFunc (node 'EagerPyFunc' of function"));
    assertFalse(Files.exists(target));
  }

  @Test
  void mainOpThatWritesAFileIsRefusedByEveryCommandAndWritesNothing() throws Exception {
    assertTrue(refusal("main-op").contains("op WriteFile (node 'WriteFile')"));
    String m = model("main-op").toString();
    Path out = dir.resolve("converted.keras");
    for (String[] args :
        List.of(
            new String[] {"predict", "--model", m, "--idx", idx(), "--limit", "1"},
            new String[] {"evaluate", "--model", m},
            new String[] {"summary", "--model", m},
            new String[] {"train", "--from", m, "--epochs", "1", "--output", out.toString()},
            new String[] {"convert", "--input", m, "--output", out.toString()},
            new String[] {
              "export", "--model", m, "--format", "keras", "--output", out.toString()
            })) {
      Run r = Cli.run(args);
      r.assertOneLineError("error: SavedModel " + m + " refused: op WriteFile (node 'WriteFile')");
      assertFalse(Files.exists(target), args[0]);
      assertFalse(Files.exists(out), args[0]);
    }
    // Trusted, TensorFlow's loader runs the main_op: the file is written at load time.
    Predictor.open(model("main-op"), ModelTrust.TRUSTED).close();
    assertTrue(Files.exists(target));
  }

  @Test
  void checkpointOpsReachableFromASignatureAreRefused() throws Exception {
    // Listed (every SavedModel's saver and restore op hold them), but not for a signature to run.
    assertTrue(
        refusal("save-in-signature")
            .contains("op SaveV2 (node 'SaveV2' of function '__inference_fn_"),
        "SaveV2 named");
    assertTrue(refusal("save-in-signature").contains("reachable from signature 'serving_default'"));
    assertTrue(
        refusal("restore-in-signature").contains("op RestoreV2 (node 'RestoreV2' of function"));
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(),
          files.filter(f -> f.getFileName().toString().startsWith("written")).toList(),
          "no checkpoint written");
    }
  }

  @Test
  void mainOpOfListedOpsIsStillRefused() {
    assertTrue(
        refusal("assign-main-op")
            .contains("init op collection 'saved_model_main_op' runs node 'group_deps' (NoOp"),
        "a main_op runs at load time even when its ops are harmless alone");
  }

  @Test
  void trustModelLetsABenignUnlistedOpThrough() {
    assertTrue(refusal("benign-unlisted").contains("op Cumsum"));
    String m = model("benign-unlisted").toString();
    Run checked = Cli.run("predict", "--model", m, "--idx", idx(), "--limit", "2", "--json");
    checked.assertOneLineError("refused: op Cumsum");
    Run trusted =
        Cli.run("predict", "--trust-model", "--model", m, "--idx", idx(), "--limit", "2", "--json");
    assertEquals(0, trusted.code(), trusted.err());
    assertTrue(trusted.out().contains("\"digit\""), trusted.out());
  }

  @Test
  void shippedModelAndKerasExportStillLoadChecked() throws Exception {
    for (Path m : List.of(TestData.shippedModel(), model("keras-export"))) {
      try (Predictor p = Predictor.open(m)) {
        assertEquals(10, p.predict(new float[Predictor.IMAGE_SIZE]).probabilities().length);
      }
      assertEquals(
          225_546, ModelReader.read(m, null).weights().spec().parameterCount(), m.toString());
    }
  }

  @Test
  void savedModelWithoutVariablesNamesTheMissingPath() throws Exception {
    Path copy = dir.resolve("no-variables");
    FileUtils.copyDirectory(TestData.shippedModel().toFile(), copy.toFile());
    FileUtils.deleteDirectory(copy.resolve("variables").toFile());
    String expected = copy.resolve("variables").resolve("variables.index") + " is missing";
    InferenceException e = assertThrows(InferenceException.class, () -> Predictor.open(copy));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    Exception read = assertThrows(Exception.class, () -> ModelReader.read(copy, null));
    assertTrue(read.getMessage().contains(expected), read.getMessage());
  }

  private static String idx() {
    return TestData.projectDir().resolve("mnist-data/t10k-images-idx3-ubyte").toString();
  }
}
