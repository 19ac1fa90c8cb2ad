package dev.mnistcnn.saving.keras;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.support.Fuzz;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Keras model config parser: JSON errors and IllegalArgumentException are the refusals. */
@Tag(Tier.FUZZ)
class KerasConfigFuzzTest {
  private static final Fuzz PARSE =
      Fuzz.of(KerasConfigFuzzTest::parse, IOException.class, IllegalArgumentException.class);

  private static void parse(byte[] bytes) throws IOException {
    KerasModelConfig.parse(Json.MAPPER.readTree(bytes));
  }

  @FuzzTest(maxDuration = "60s")
  void modelConfig(byte[] input) {
    PARSE.check(input);
  }

  @Test
  void mutatedSeeds() throws IOException {
    PARSE.checkMutations("keras-config", getClass(), "modelConfig", 3000);
  }
}
