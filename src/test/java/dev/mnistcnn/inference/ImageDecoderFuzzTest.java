package dev.mnistcnn.inference;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.fuzz.FuzzHarness;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Image decoding and preprocessing: any bytes give model input or an InferenceException. */
@Tag(Tier.FUZZ)
class ImageDecoderFuzzTest {
  private static void decode(byte[] bytes) throws InferenceException {
    DigitPreprocessor.fromImageBytes(bytes);
  }

  @FuzzTest(maxDuration = "60s")
  void imageBytes(byte[] input) {
    FuzzHarness.expect(input, ImageDecoderFuzzTest::decode, InferenceException.class);
  }

  @Test
  void mutatedSeeds() throws IOException {
    FuzzHarness.runMutations(
        "image",
        FuzzHarness.seeds(getClass(), "imageBytes"),
        2000,
        ImageDecoderFuzzTest::decode,
        InferenceException.class);
  }
}
