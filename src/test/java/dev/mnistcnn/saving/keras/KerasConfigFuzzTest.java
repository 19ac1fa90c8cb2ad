package dev.mnistcnn.saving.keras;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.fuzz.FuzzHarness;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Keras model config parser: JSON errors and IllegalArgumentException are the refusals. */
@Tag(Tier.FUZZ)
class KerasConfigFuzzTest {
  private static void parse(byte[] bytes) throws IOException {
    KerasModelConfig.parse(KerasModelConfig.JSON.readTree(bytes));
  }

  @FuzzTest(maxDuration = "60s")
  void modelConfig(byte[] input) {
    FuzzHarness.expect(
        input, KerasConfigFuzzTest::parse, IOException.class, IllegalArgumentException.class);
  }

  @Test
  void mutatedSeeds() throws IOException {
    FuzzHarness.runMutations(
        "keras-config",
        FuzzHarness.seeds(getClass(), "modelConfig"),
        3000,
        KerasConfigFuzzTest::parse,
        IOException.class,
        IllegalArgumentException.class);
  }
}
