package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.floats;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static dev.mnistcnn.serve.ServeTestSupport.png;
import static dev.mnistcnn.serve.ServeTestSupport.post;
import static dev.mnistcnn.serve.ServeTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.DigitPreprocessor;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Many clients at once against one shared Predictor: every answer right, really in parallel. */
@Tag(Tier.FAST)
class ConcurrencyTest {
  private static final int CLIENTS = 16;
  private static final int REQUESTS_EACH = 50;
  private static final int IMAGES = 100;

  @Test
  void sixteenClientsTimesFiftyRequestsAllCorrectAndServedInParallel() throws Exception {
    float[] images = ServeTestSupport.testImages().imagesAsFloats(0, IMAGES);
    float[][] expectedJson = new float[IMAGES][];
    float[][] expectedImage = new float[IMAGES][];
    byte[][] pngs = new byte[IMAGES][];
    try (Predictor reference = Predictor.open(ServeTestSupport.model())) {
      for (int i = 0; i < IMAGES; i++) {
        float[] one =
            Arrays.copyOfRange(images, i * Predictor.IMAGE_SIZE, (i + 1) * Predictor.IMAGE_SIZE);
        expectedJson[i] = reference.probabilities(one, 1);
        pngs[i] = png(images, i);
        expectedImage[i] =
            reference.predict(DigitPreprocessor.fromImageBytes(pngs[i])).probabilities();
      }
    }
    int serverThreads = 8;
    try (ServingServer server =
        ServeTestSupport.startServer(ServerConfig.defaults().withThreads(serverThreads))) {
      URI base = server.url();
      long admittedBefore = server.requestsAdmitted();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> results = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        results.add(
            clients.submit(
                () -> {
                  go.await();
                  for (int k = 0; k < REQUESTS_EACH; k++) {
                    int i = (client * REQUESTS_EACH + k) % IMAGES;
                    switch (k % 3) {
                      case 0 -> rowPredict(base, images, i, expectedJson[i]);
                      case 1 -> columnarPredict(base, images, i, expectedJson[i]);
                      default -> classifyImage(base, pngs[i], expectedImage[i]);
                    }
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : results) {
        f.get(); // rethrows a client's failed assertion
      }
      clients.shutdown();
      // The server's own count: a lost, repeated or retried request shows here.
      assertEquals(CLIENTS * REQUESTS_EACH, server.requestsAdmitted() - admittedBefore);
      int peak = server.peakConcurrentRequests();
      System.out.println(
          "peak concurrent requests: "
              + peak
              + " (server threads "
              + serverThreads
              + ", clients "
              + CLIENTS
              + ")");
      assertTrue(peak >= 2, "requests were handled one at a time: peak " + peak);
    }
  }

  private static void rowPredict(URI base, float[] images, int i, float[] expected)
      throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("instances").add(imageJson(images, i, 28, 28, 1));
    check(postJson(base, "/v1/models/mnist:predict", body), "predictions", expected);
  }

  private static void columnarPredict(URI base, float[] images, int i, float[] expected)
      throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("inputs").add(imageJson(images, i, 784));
    check(postJson(base, "/v1/models/mnist:predict", body), "outputs", expected);
  }

  private static void classifyImage(URI base, byte[] png, float[] expected) throws Exception {
    Reply r = post(base, "/v1/models/mnist:classify-image", "image/png", png);
    assertEquals(200, r.status(), r.text());
    JsonNode probabilities = r.json().get("probabilities");
    assertArrayEquals(expected, floats(JSON.createArrayNode().add(probabilities)));
  }

  private static void check(Reply r, String key, float[] expected) {
    assertEquals(200, r.status(), r.text());
    assertArrayEquals(expected, floats(r.json().get(key)));
  }
}
