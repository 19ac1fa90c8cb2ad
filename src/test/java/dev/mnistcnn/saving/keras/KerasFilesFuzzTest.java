package dev.mnistcnn.saving.keras;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Fuzz;
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

  private static final Fuzz READ_KERAS = Fuzz.of(KerasFilesFuzzTest::readKeras, IOException.class);
  private static final Fuzz READ_H5 = Fuzz.of(KerasFilesFuzzTest::readH5, IOException.class);

  private static void readKeras(byte[] bytes) throws IOException {
    KerasArchive.read(Files.write(dir.resolve("fuzz.keras"), bytes));
  }

  private static void readH5(byte[] bytes) throws IOException {
    LegacyH5.read(Files.write(dir.resolve("fuzz.h5"), bytes));
  }

  @FuzzTest(maxDuration = "60s")
  void kerasArchive(byte[] input) {
    READ_KERAS.check(input);
  }

  @FuzzTest(maxDuration = "60s")
  void legacyH5(byte[] input) {
    READ_H5.check(input);
  }

  @Test
  void mutatedKerasArchives() throws IOException {
    READ_KERAS.checkMutations("keras-archive", getClass(), "kerasArchive", 600);
  }

  @Test
  void mutatedLegacyH5() throws IOException {
    READ_H5.checkMutations("legacy-h5", getClass(), "legacyH5", 600);
  }
}
