package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.support.Cli;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} leaves its training curves beside the model, in every format, atomically. */
@Tag(Tier.TRAINING)
class TrainingCurvesFileTest {
  @TempDir Path tmp;

  private static Cli.Run train(Path output, String seed) {
    return Cli.run(
        "train", "--limit", "400", "--epochs", "2", "--seed", seed, "--output", output + "");
  }

  private static void assertCurvesPng(Path png) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    assertNotNull(image, png + " is a PNG");
    assertEquals(1120, image.getWidth(), "loss and accuracy side by side");
    assertEquals(380, image.getHeight());
  }

  @Test
  void aSavedModelHoldsItsCurvesAndIsStillOursToReplace() throws Exception {
    Path model = tmp.resolve("model");
    Cli.Run first = train(model, "1");
    assertEquals(0, first.code(), first.err());
    assertCurvesPng(model.resolve("training-curves.png"));
    byte[] before = Files.readAllBytes(model.resolve("training-curves.png"));
    // The extra file neither makes the folder foreign to the next run nor troubles loading.
    Cli.Run second = train(model, "2");
    assertEquals(0, second.code(), second.err());
    assertCurvesPng(model.resolve("training-curves.png"));
    assertFalse(
        java.util.Arrays.equals(before, Files.readAllBytes(model.resolve("training-curves.png"))),
        "the second run's own curves");
    try (Predictor p = Predictor.open(model)) {
      assertEquals(10, p.classes());
    }
  }

  @Test
  void aModelFileGetsItsCurvesBesideIt() throws Exception {
    Path h5 = tmp.resolve("m.h5");
    Cli.Run r = train(h5, "1");
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.isRegularFile(h5));
    assertCurvesPng(tmp.resolve("m.h5.training-curves.png"));
    try (var files = Files.list(tmp)) {
      assertArrayEquals(
          new String[] {"m.h5", "m.h5.training-curves.png"},
          files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new),
          "no temporaries left");
    }
  }

  @Test
  void aUserFileOfTheCurvesNameIsReplacedOnlyWithForceAndOurChartWithout() throws Exception {
    Path h5 = tmp.resolve("m.h5");
    Path curves = tmp.resolve("m.h5.training-curves.png");
    Files.writeString(curves, "the user's");
    String[] tiny = {
      "train",
      "--limit",
      "200",
      "--epochs",
      "1",
      "--batch-size",
      "100",
      "--precision",
      "fp32",
      "--output",
      h5.toString()
    };
    Cli.run(tiny).assertOneLineError("not a chart this program wrote");
    assertEquals("the user's", Files.readString(curves));
    assertFalse(Files.exists(h5), "refused before training");

    String[] forced = java.util.Arrays.copyOf(tiny, tiny.length + 1);
    forced[tiny.length] = "--force";
    Cli.Run replaced = Cli.run(forced);
    assertEquals(0, replaced.code(), replaced.err());
    assertCurvesPng(curves);
    Cli.Run again = Cli.run(tiny);
    assertEquals(0, again.code(), "our own chart is replaced without --force: " + again.err());
    assertCurvesPng(curves);
  }
}
