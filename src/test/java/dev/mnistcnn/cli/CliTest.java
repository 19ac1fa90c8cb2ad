package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.Flatten;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.provenance.DatasetProvenance;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.provenance.TrainerProvenance;
import dev.mnistcnn.saving.savedmodel.SavedModels;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.support.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag(Tier.FAST)
class CliTest {
  @TempDir Path tmp;

  @Test
  void everyCommandHasHelp() {
    for (String command :
        List.of("train", "evaluate", "predict", "summary", "fetch", "export", "convert")) {
      Run r = Cli.run(command, "--help");
      assertEquals(0, r.code(), command);
      assertTrue(r.out().contains("Usage: mnist-cnn " + command), r.out());
    }
    assertEquals(0, Cli.run("--help").code());
  }

  @Test
  void exportIsConvertsOlderFormKeptOffTheCommandList() {
    Run help = Cli.run("--help");
    assertTrue(help.out().contains("  convert "), help.out());
    assertFalse(help.out().contains("  export "), help.out());
    Run export = Cli.run("export", "--help");
    assertEquals(0, export.code());
    assertTrue(export.out().contains("The older form of convert"), export.out());
  }

  @Test
  void unknownOptionIsAUsageErrorWithAHint() {
    Run r = Cli.run("train", "--epoch", "3");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("Unknown option") && r.err().contains("'--epoch'"), r.err());
    assertTrue(r.err().contains("Try 'mnist-cnn train --help'"), r.err());
  }

  @Test
  void profileNamesTheSlowestNodesOfRealTrainingSteps() {
    Run r = Cli.run("profile", "--steps", "2", "--top", "4");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).contains("fp32") || lines.get(0).contains("bf16"), r.out());
    assertTrue(lines.get(0).contains("ms per step untraced"), r.out());
    assertTrue(lines.get(1).matches("traced by TensorFlow: [0-9.]+ ms .* [0-9.]+ ms .*"), r.out());
    assertTrue(lines.get(2).startsWith("node") && lines.get(2).endsWith("span ms"), r.out());
    assertEquals(3 + 4, lines.size(), r.out());
    assertTrue(r.out().contains("gradients/"), "backward-pass nodes are traced: " + r.out());
  }

  @Test
  void bf16IsRefusedInOneLineWhereTheCpuLacksIt() {
    Run r = Cli.run("profile", "--steps", "1", "--precision", "bf16");
    if (dev.mnistcnn.graph.CpuFeatures.current().hasBf16()) {
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains(", bf16,"), r.out());
    } else {
      r.assertOneLineError("--precision bf16 needs a processor with AMX or AVX512_BF16");
    }
  }

  @Test
  void summaryPrintsTheKerasTable() {
    Run r = Cli.run("summary");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Total params: 225,546"), r.out());
  }

  @Test
  void missingModelIsOneLineError() {
    Cli.run("evaluate", "--model", tmp.resolve("nope").toString())
        .assertOneLineError("model not found");
  }

  @Test
  void missingDataFolderIsOneLineError() {
    Cli.run("evaluate", "--data", tmp.resolve("empty").toString())
        .assertOneLineError(tmp.resolve("empty").toString());
  }

  @Test
  void corruptIdxIsOneLineError() throws Exception {
    Path bad = tmp.resolve("bad-images-idx3-ubyte");
    Files.write(bad, new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3});
    Cli.run("predict", "--model", TestData.shippedModel().toString(), "--idx", bad.toString())
        .assertOneLineError("truncated");
    Path notIdx = tmp.resolve("text-idx3-ubyte");
    Files.writeString(notIdx, "hello, this is not an IDX file at all");
    Cli.run("predict", "--model", TestData.shippedModel().toString(), "--idx", notIdx.toString())
        .assertOneLineError(notIdx.getFileName().toString());
  }

  @Test
  void corruptDatasetFileIsOneLineError() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    Path source = TestData.projectDir().resolve("mnist-data");
    for (String f :
        List.of(
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte")) {
      Files.copy(source.resolve(f), data.resolve(f));
    }
    byte[] labels = Files.readAllBytes(data.resolve("t10k-labels-idx1-ubyte"));
    labels[100] = 3; // one flipped label: the checksum must catch it
    Files.write(data.resolve("t10k-labels-idx1-ubyte"), labels);
    Cli.run("evaluate", "--model", TestData.shippedModel().toString(), "--data", data.toString())
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
            RuntimeVersions.current(),
            "test",
            new DatasetProvenance(null, Map.of()),
            new TrainerProvenance(1L, Map.of()),
            null,
            null,
            KerasModelConfig.toKeras3(wrong),
            null),
        dir);
    Path idx = TestData.projectDir().resolve("mnist-data/t10k-images-idx3-ubyte");
    Cli.run("predict", "--model", dir.toString(), "--idx", idx.toString())
        .assertOneLineError("expected DT_FLOAT [-1, 28, 28, 1]");
  }

  @Test
  void predictIdxRecordsAsJson() throws Exception {
    Path idx = TestData.projectDir().resolve("mnist-data/t10k-images-idx3-ubyte");
    Run r =
        Cli.run(
            "predict",
            "--model",
            TestData.shippedModel().toString(),
            "--idx",
            idx.toString(),
            "--limit",
            "5",
            "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = Json.MAPPER.readTree(r.out());
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
    Run r = Cli.run("evaluate", "--model", TestData.shippedModel().toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = Json.MAPPER.readTree(r.out());
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

  @Test
  void predictImagesFromFilesFoldersAndStdin() throws Exception {
    var test = TestData.mnist().test();
    Path folder = tmp.resolve("digits");
    Files.createDirectories(folder);
    for (int i = 0; i < 3; i++) {
      var image =
          dev.mnistcnn.inference.DigitVariants.variant(
              test.imagesAsFloats(i, 1),
              dev.mnistcnn.inference.DigitVariants.INVERTED,
              new java.util.Random(i));
      Files.write(
          folder.resolve("digit-" + i + ".png"),
          dev.mnistcnn.inference.DigitVariants.encode(image, "png"));
    }
    Files.write(folder.resolve("blank.png"), blankPng());
    Files.writeString(folder.resolve("notes.txt"), "not an image, skipped in folders");

    Run r =
        Cli.run(
            "predict", "--model", TestData.shippedModel().toString(), folder.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode json = Json.MAPPER.readTree(r.out());
    assertEquals(4, json.size(), r.out());
    assertTrue(json.get(0).get("digit").isNull(), "blank.png sorts first: " + json.get(0));
    assertEquals("no digit found in the image", json.get(0).get("error").asText());
    int[] labels = {test.label(0), test.label(1), test.label(2)};
    for (int i = 0; i < 3; i++) {
      assertEquals(labels[i], json.get(i + 1).get("digit").asInt(), json.get(i + 1).toString());
    }

    var stdin = System.in;
    try {
      System.setIn(
          new java.io.ByteArrayInputStream(Files.readAllBytes(folder.resolve("digit-1.png"))));
      Run s = Cli.run("predict", "--model", TestData.shippedModel().toString(), "-", "--top", "2");
      assertEquals(0, s.code(), s.err());
      assertTrue(s.out().startsWith("-: " + labels[1] + "  ("), s.out());
    } finally {
      System.setIn(stdin);
    }

    Path junk = tmp.resolve("junk.png");
    Files.writeString(junk, "definitely not a PNG");
    Cli.run("predict", "--model", TestData.shippedModel().toString(), junk.toString())
        .assertOneLineError("not a readable image");
  }

  private static byte[] blankPng() throws java.io.IOException {
    var image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
    var g = image.getGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, 64, 64);
    var out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
