package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.DigitVariants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose name is not ASCII, named on the command line under {@code LC_ALL=C}: the launcher
 * hands the child the name as typed ({@link RawArguments}), not re-encoded into {@code ?}s.
 */
@Tag(Tier.FAST)
class NonAsciiArgumentsTest {
  @TempDir Path tmp;

  @Test
  void aNonAsciiFileNameReachesTheChildUnchangedUnderTheCLocale() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("Ziffern ä €"));
    Path image = folder.resolve("sieben-数字.png");
    var test = TestData.mnist().test();
    Files.write(
        image,
        DigitVariants.encode(
            DigitVariants.variant(test.imagesAsFloats(0, 1), 0, new Random(0)), "png"));

    ProcessBuilder pb =
        Jvm.program(
            true, "predict", "--model", TestData.shippedModel().toString(), image.toString());
    pb.environment().put("LC_ALL", "C");
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    try {
      assertEquals(0, p.waitFor(), Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Jvm.killTree(p);
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    assertTrue(stdout.startsWith(image + ": " + test.label(0) + "  ("), stdout);
  }
}
