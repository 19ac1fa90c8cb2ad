package dev.mnistcnn.inference;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.support.Fuzz;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Image decoding and preprocessing: any bytes give model input or an InferenceException. */
@Tag(Tier.FUZZ)
class ImageDecoderFuzzTest {
  private static final Fuzz DECODE =
      Fuzz.of(ImageDecoderFuzzTest::decode, InferenceException.class);

  private static void decode(byte[] bytes) throws InferenceException {
    DigitPreprocessor.fromImageBytes(bytes);
  }

  @FuzzTest(maxDuration = "60s")
  void imageBytes(byte[] input) {
    DECODE.check(input);
  }

  @Test
  void mutatedSeeds() throws IOException {
    DECODE.checkMutations("image", getClass(), "imageBytes", 2000);
  }
}
