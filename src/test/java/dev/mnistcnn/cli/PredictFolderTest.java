package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.inference.DigitVariants;
import dev.mnistcnn.support.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict DIR} where one file is a truncated PNG: that file's error is its own row, every
 * other image is answered, the exit status is 1 and the one error line names the file.
 */
@Tag(Tier.FAST)
class PredictFolderTest {
  private static final int DIGITS = 120;
  private static final String MODEL = TestData.shippedModel().toString();

  @TempDir Path tmp;

  /** {@code DIGITS} MNIST test digits as PNGs, and {@code digit-0050-cut.png}, cut in half. */
  private Path folder() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("digits"));
    var test = TestData.mnist().test();
    for (int i = 0; i < DIGITS; i++) {
      byte[] png =
          DigitVariants.encode(
              DigitVariants.variant(test.imagesAsFloats(i, 1), 0, new Random(i)), "png");
      Files.write(folder.resolve(String.format(Locale.ROOT, "digit-%04d.png", i)), png);
      if (i == 50) {
        Files.write(folder.resolve("digit-0050-cut.png"), Arrays.copyOf(png, png.length / 2));
      }
    }
    return folder;
  }

  @Test
  void aTruncatedPngIsItsOwnRowAndTheOthersAreAnswered() throws Exception {
    Path folder = folder();
    String cut = folder.resolve("digit-0050-cut.png").toString();

    Cli.Run json = Cli.run("predict", "--model", MODEL, folder.toString(), "--json");
    json.assertOneLineError(cut + ": not a readable image");
    assertFalse(json.err().contains("Predicting"), "no progress bar off a terminal: " + json.err());
    JsonNode rows = Json.MAPPER.readTree(json.out());
    assertEquals(DIGITS + 1, rows.size(), json.out());
    int answered = 0;
    for (JsonNode row : rows) {
      if (row.get("input").asText().equals(cut)) {
        assertTrue(row.get("digit").isNull(), row.toString());
        assertTrue(row.get("error").asText().startsWith("not a readable image"), row.toString());
      } else {
        assertTrue(row.get("digit").isInt(), row.toString());
        answered++;
      }
    }
    assertEquals(DIGITS, answered);

    Cli.Run text = Cli.run("predict", "--model", MODEL, folder.toString());
    text.assertOneLineError(cut + ": not a readable image");
    List<String> lines = text.out().lines().toList();
    assertEquals(DIGITS + 1, lines.size(), text.out());
    assertTrue(lines.contains(cut + ": not a readable image (PNG, JPEG, GIF or BMP expected)"));
  }

  @Test
  void twoBadFilesAreCountedInTheErrorLine() throws Exception {
    Path folder = folder();
    Files.writeString(folder.resolve("zzz.png"), "not a PNG");
    Cli.run("predict", "--model", MODEL, folder.toString())
        .assertOneLineError("2 of " + (DIGITS + 2) + " images could not be read, the first ");
  }

  @Test
  void aLongRunShowsProgressOnAnInteractiveStderr() throws Exception {
    Path folder = folder();
    ProcessBuilder pb = Jvm.program(false, "predict", "--model", MODEL, folder.toString());
    pb.environment().put(TensorFlowLauncher.INTERACTIVE, "1"); // as the launcher sets at a terminal
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertEquals(1, p.waitFor(), Files.readString(err));
    } finally {
      Jvm.killTree(p);
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertTrue(stderr.contains("Predicting"), stderr);
    assertTrue(stderr.strip().endsWith(": not a readable image (PNG, JPEG, GIF or BMP expected)"));
    assertEquals(DIGITS + 1, Files.readAllLines(out).size());
  }
}
