package dev.mnistcnn.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.inference.BatchingPredictor;
import dev.mnistcnn.inference.Inference;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.http.Request;
import dev.mnistcnn.serve.models.SingleModel;
import dev.mnistcnn.serve.models.TfServingMetrics;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which requests the model API takes on the I/O thread that read them: small predict bodies to a
 * version whose batching queues while the model is busy; nothing else, and nothing at all without
 * batching (where every request would run the model on that thread).
 */
@Tag(Tier.FAST)
class IoThreadRoutingTest {
  private static final String PREDICT = "/v1/models/mnist:predict";

  private static Predictor predictor;

  @BeforeAll
  static void open() throws Exception {
    predictor = Predictor.open(ServeTestSupport.model());
  }

  @AfterAll
  static void close() {
    predictor.close();
  }

  @Test
  void smallPredictBodiesToABatchingModelRunOnTheIoThread() {
    try (BatchingPredictor batching =
        new BatchingPredictor(predictor, BatchingConfig.enabled(64, 0))) {
      ModelApi api = api(batching);
      assertTrue(api.runsOnIoThread(post(PREDICT, body(100))));
      assertTrue(api.runsOnIoThread(post("/v1/models/mnist/versions/1:predict", body(5_000))));
      assertTrue(api.runsOnIoThread(post(PREDICT, body(ModelApi.IO_THREAD_MAX_BODY_BYTES))));

      assertFalse(api.runsOnIoThread(post(PREDICT, body(ModelApi.IO_THREAD_MAX_BODY_BYTES + 1))));
      assertFalse(api.runsOnIoThread(new Request("GET", PREDICT, headers(), new byte[0])));
      assertFalse(api.runsOnIoThread(post("/v1/models/other:predict", body(100))));
      assertFalse(api.runsOnIoThread(post("/v1/models/mnist/versions/9:predict", body(100))));
      assertFalse(api.runsOnIoThread(post("/v1/models/mnist/versions/x:predict", body(100))));
      assertFalse(api.runsOnIoThread(post("/v1/models/mnist:classify-image", body(100))));
      assertFalse(api.runsOnIoThread(post("/v1/models/mnist/metadata", body(100))));
      assertFalse(api.runsOnIoThread(post("/v1/models/mnist:predict/x", body(100))));
    }
  }

  @Test
  void withoutBatchingEveryRequestStaysOnTheRequestPool() {
    ModelApi api = api(Inference.direct(predictor));
    assertFalse(api.runsOnIoThread(post(PREDICT, body(100))));
  }

  private static ModelApi api(Inference inference) {
    return new ModelApi(
        new SingleModel("mnist", predictor, inference),
        ServerConfig.defaults(),
        new ImageHandler(Runnable::run, 1_000_000),
        new TfServingMetrics());
  }

  private static Request post(String path, byte[] body) {
    return new Request("POST", path, headers(), body);
  }

  private static DefaultHttpHeaders headers() {
    return new DefaultHttpHeaders();
  }

  private static byte[] body(int bytes) {
    return " ".repeat(bytes).getBytes(StandardCharsets.US_ASCII);
  }
}
