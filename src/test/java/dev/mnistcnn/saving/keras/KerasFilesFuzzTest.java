package dev.mnistcnn.saving.keras;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.fuzz.FuzzHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code .keras} archive reader and the legacy {@code .h5} reader (jhdf opens files, so each
 * input is written to a temporary file): any bytes load or give an IOException, nothing else.
 */
@Tag(Tier.FUZZ)
class KerasFilesFuzzTest {
  @TempDir static Path dir;

  private static void readKeras(byte[] bytes) throws IOException {
    KerasArchive.read(Files.write(dir.resolve("fuzz.keras"), bytes));
  }

  private static void readH5(byte[] bytes) throws IOException {
    LegacyH5.read(Files.write(dir.resolve("fuzz.h5"), bytes));
  }

  @FuzzTest(maxDuration = "60s")
  void kerasArchive(byte[] input) {
    FuzzHarness.expect(input, KerasFilesFuzzTest::readKeras, IOException.class);
  }

  @FuzzTest(maxDuration = "60s")
  void legacyH5(byte[] input) {
    FuzzHarness.expect(input, KerasFilesFuzzTest::readH5, IOException.class);
  }

  @Test
  void mutatedKerasArchives() throws IOException {
    FuzzHarness.runMutations(
        "keras-archive",
        FuzzHarness.seeds(getClass(), "kerasArchive"),
        600,
        KerasFilesFuzzTest::readKeras,
        IOException.class);
  }

  @Test
  void mutatedLegacyH5() throws IOException {
    FuzzHarness.runMutations(
        "legacy-h5",
        FuzzHarness.seeds(getClass(), "legacyH5"),
        600,
        KerasFilesFuzzTest::readH5,
        IOException.class);
  }
}
