package dev.mnistcnn.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.support.Fuzz;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The predict-request decoder: any body decodes or gives an ApiException (a 4xx answer). */
@Tag(Tier.FUZZ)
class TfServingCodecFuzzTest {
  private static final TfServingCodec CODEC =
      new TfServingCodec("x", "serving_default", ServerConfig.DEFAULT_MAX_INSTANCES);

  private static final Fuzz DECODE = Fuzz.of(TfServingCodecFuzzTest::decode, ApiException.class);

  private static void decode(byte[] body) throws ApiException {
    CODEC.decodePredict(body);
  }

  @FuzzTest(maxDuration = "60s")
  void predictBody(byte[] input) {
    DECODE.check(input);
  }

  @Test
  void mutatedSeeds() throws IOException {
    DECODE.checkMutations("predict-body", getClass(), "predictBody", 3000);
  }
}
