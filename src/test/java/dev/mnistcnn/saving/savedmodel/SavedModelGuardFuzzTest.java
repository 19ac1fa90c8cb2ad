package dev.mnistcnn.saving.savedmodel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Fuzz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SavedModel check parses saved_model.pb itself: any bytes pass or give an IOException. */
@Tag(Tier.FUZZ)
class SavedModelGuardFuzzTest {
  @TempDir static Path dir;

  private static final Fuzz CHECK = Fuzz.of(SavedModelGuardFuzzTest::check, IOException.class);

  private static void check(byte[] bytes) throws IOException {
    Files.write(dir.resolve("saved_model.pb"), bytes);
    SavedModelGuard.check(dir, ModelTrust.CHECKED);
  }

  @FuzzTest(maxDuration = "60s")
  void savedModelPb(byte[] input) {
    CHECK.check(input);
  }

  @Test
  void mutatedSeeds() throws IOException {
    CHECK.checkMutations("saved-model-pb", getClass(), "savedModelPb", 600);
  }
}
