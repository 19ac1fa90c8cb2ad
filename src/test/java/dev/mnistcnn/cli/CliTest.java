package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mnistcnn.TestData;
import dev.mnistcnn.io.Provenance;
import dev.mnistcnn.io.SavedModels;
import dev.mnistcnn.keras.KerasModelConfig;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.Flatten;
import dev.mnistcnn.model.ModelSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
  @TempDir Path tmp;

  /** Exit code, stdout and stderr of one in-process run. */
  record Run(int code, String out, String err) {
    void assertOneLineError(String expectedFragment) {
      assertEquals(1, code, "exit code; stderr: " + err);
      List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
      assertEquals(1, lines.size(), "exactly one line on stderr: " + err);
      assertTrue(lines.get(0).startsWith("error: "), err);
      assertTrue(err.contains(expectedFragment), "'" + expectedFragment + "' in: " + err);
      assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : List.of("train", "evaluate", "predict", "summary", "fetch", "export", "convert")) {
      Run r = run(command, "--help");
      assertEquals(0, r.code(), command);
      assertTrue(r.out().contains("Usage: mnist-cnn " + command), r.out());
    }
    assertEquals(0, run("--help").code());
  }

  @Test
  void unknownOptionIsAUsageErrorWithAHint() {
    Run r = run("train", "--epoch", "3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Unknown option: '--epoch'"), r.err());
    assertTrue(r.err().contains("Try 'mnist-cnn train --help'"), r.err());
  }

  @Test
  void summaryPrintsTheKerasTable() {
    Run r = run("summary");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Total params: 225,546"), r.out());
  }

  @Test
  void missingModelIsOneLineError() {
    run("evaluate", "--model", tmp.resolve("nope").toString()).assertOneLineError("model not found");
  }

  @Test
  void missingDataFolderIsOneLineError() {
    run("evaluate", "--data", tmp.resolve("empty").toString())
        .assertOneLineError(tmp.resolve("empty").toString());
  }

  @Test
  void corruptIdxIsOneLineError() throws Exception {
    Path bad = tmp.resolve("bad-images-idx3-ubyte");
    Files.write(bad, new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3});
    run("predict", "--model", TestData.shippedModel().toString(), "--idx", bad.toString())
        .assertOneLineError("truncated");
    Path notIdx = tmp.resolve("text-idx3-ubyte");
    Files.writeString(notIdx, "hello, this is not an IDX file at all");
    run("predict", "--model", TestData.shippedModel().toString(), "--idx", notIdx.toString())
        .assertOneLineError(notIdx.getFileName().toString());
  }

  @Test
  void corruptDatasetFileIsOneLineError() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    Path source = TestData.projectDir().resolve("mnist-data");
    for (String f :
        List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte")) {
      Files.copy(source.resolve(f), data.resolve(f));
    }
    byte[] labels = Files.readAllBytes(data.resolve("t10k-labels-idx1-ubyte"));
    labels[100] = 3; // one flipped label: the checksum must catch it
    Files.write(data.resolve("t10k-labels-idx1-ubyte"), labels);
    run("evaluate", "--model", TestData.shippedModel().toString(), "--data", data.toString())
        .assertOneLineError("t10k-labels-idx1-ubyte");
  }

  @Test
  void modelOfTheWrongShapeIsOneLineError() throws Exception {
    ModelSpec wrong =
        new ModelSpec(
            "wrong",
            List.of(32, 32, 1),
            List.of(new Flatten(), new Dense(10, ActivationFunction.SOFTMAX)));
    Path dir = tmp.resolve("wrong");
    SavedModels.export(
        wrong.initialWeights(1),
        Provenance.create(
            "test", Map.of(), 1L, null, Map.of(), Map.of(), null,
            KerasModelConfig.toKeras3(wrong), null),
        dir);
    Path idx = TestData.projectDir().resolve("mnist-data/t10k-images-idx3-ubyte");
    run("predict", "--model", dir.toString(), "--idx", idx.toString())
        .assertOneLineError("expected DT_FLOAT [-1, 28, 28, 1]");
  }

  @Test
  void predictIdxRecordsAsJson() throws Exception {
    Path idx = TestData.projectDir().resolve("mnist-data/t10k-images-idx3-ubyte");
    Run r =
        run(
            "predict", "--model", TestData.shippedModel().toString(), "--idx", idx.toString(),
            "--limit", "5", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(5, json.size());
    int[] expected = {7, 2, 1, 0, 4};
    for (int i = 0; i < 5; i++) {
      assertEquals(expected[i], json.get(i).get("digit").asInt());
      assertEquals(10, json.get(i).get("probabilities").size());
      assertEquals("t10k-images-idx3-ubyte#" + i, json.get(i).get("input").asText());
    }
  }

  @Test
  void evaluateJsonHasTheAgreedFields() throws Exception {
    Run r = run("evaluate", "--model", TestData.shippedModel().toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertEquals(10_000, json.get("samples").asInt());
    assertTrue(json.get("accuracy").asDouble() >= 0.9919);
    assertTrue(json.get("loss").asDouble() < 0.05);
    assertEquals(10, json.get("confusion_matrix").size());
    int total = 0;
    for (JsonNode row : json.get("confusion_matrix")) {
      for (JsonNode v : row) {
        total += v.asInt();
      }
    }
    assertEquals(10_000, total);
  }
}
