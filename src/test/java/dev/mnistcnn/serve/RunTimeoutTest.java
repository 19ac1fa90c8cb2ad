package dev.mnistcnn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.InferenceTimeoutException;
import dev.mnistcnn.inference.Predictor;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A request's compute is bounded: past the predictor's run timeout the call stops at the next chunk
 * (or inside TensorFlow's run) and the server answers 504 JSON, then goes on serving.
 */
@Tag(Tier.FAST)
class RunTimeoutTest {
  @Test
  void aRunPastItsTimeoutStopsAndServeAnswers504() throws Exception {
    float[] images = TestData.mnist().test().imagesAsFloats(0, 200);
    Predictor predictor = Predictor.open(TestData.shippedModel());
    predictor.setRunTimeout(Duration.ofNanos(1)); // spent before the second chunk of 128 starts
    assertThrows(InferenceTimeoutException.class, () -> predictor.probabilities(images, 200));
    try (ServingServer server =
        ServingServer.start(predictor, ServerConfig.defaults().withPort(0))) {
      URI base = server.url();
      ObjectNode body = ServeTestSupport.JSON.createObjectNode();
      ArrayNode instances = body.putArray("instances");
      for (int i = 0; i < 200; i++) {
        instances.add(ServeTestSupport.imageJson(images, i, 28, 28, 1));
      }
      ServeTestSupport.postJson(base, "/v1/models/mnist:predict", body)
          .assertError(504, "ran out of its");
      predictor.setRunTimeout(Duration.ofSeconds(30));
      assertEquals(200, ServeTestSupport.postJson(base, "/v1/models/mnist:predict", body).status());
    }
  }
}
