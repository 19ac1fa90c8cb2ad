package dev.mnistcnn.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mnistcnn.Tier;
import dev.mnistcnn.serve.http.ApiException;
import dev.mnistcnn.support.Fuzz;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The predict-request decoder: any body decodes or gives an ApiException (a 4xx answer), and the
 * fast path reads every body it accepts exactly as the tree decoder does.
 */
@Tag(Tier.FUZZ)
class TfServingCodecFuzzTest {
  private static final TfServingCodec CODEC =
      new TfServingCodec("x", "serving_default", ServerConfig.DEFAULT_MAX_INSTANCES);

  private static final Fuzz DECODE = Fuzz.of(TfServingCodecFuzzTest::decode, ApiException.class);

  private static void decode(byte[] body) throws ApiException {
    CODEC.decodePredict(body);
    // Differential: whatever the fast path accepts, the tree decoder reads to the same images.
    TfServingCodec.PredictRequest fast =
        PredictStreamReader.read(body, ServerConfig.DEFAULT_MAX_INSTANCES);
    if (fast != null) {
      TfServingCodec.PredictRequest tree;
      try {
        tree = CODEC.decodeTree(body);
      } catch (ApiException e) {
        throw new AssertionError("the fast path accepts a body the tree decoder refuses", e);
      }
      if (tree.format() != fast.format()
          || tree.count() != fast.count()
          || !Arrays.equals(tree.images(), fast.images())) {
        throw new AssertionError("the fast path reads a body otherwise than the tree decoder");
      }
    }
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
