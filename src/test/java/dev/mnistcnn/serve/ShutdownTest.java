package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.get;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static dev.mnistcnn.serve.ServeTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** close(): requests in flight finish, the port is released, the predictor is closed. */
@Tag(Tier.FAST)
class ShutdownTest {
  private static final int SLOW_BATCH = 512;

  @Test
  void closeFinishesInFlightRequestsReleasesThePortAndClosesThePredictor() throws Exception {
    Predictor predictor = Predictor.open(ServeTestSupport.model());
    ServingServer server =
        ServingServer.start(
            predictor, ServerConfig.defaults().withPort(0).withLimits(64 << 20, 4096));
    URI base = server.url();
    int port = server.port();

    float[] images = ServeTestSupport.testImages().imagesAsFloats(0, SLOW_BATCH);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode instances = body.putArray("instances");
    for (int i = 0; i < SLOW_BATCH; i++) {
      instances.add(imageJson(images, i, 28, 28, 1));
    }
    CompletableFuture<Reply> slow =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return postJson(base, "/v1/models/mnist:predict", body);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    long deadline = System.currentTimeMillis() + 30_000;
    while (server.peakConcurrentRequests() == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(2);
    }
    assertEquals(1, server.peakConcurrentRequests(), "the slow request is being handled");

    server.close();

    // close() waited for the handler: the request was answered in full (had the predictor been
    // closed under it, it would have failed). The client may read the reply a moment later.
    Reply answered = slow.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertEquals(200, answered.status(), answered.text());
    assertEquals(SLOW_BATCH, answered.json().get("predictions").size());

    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(port, again.getLocalPort(), "port released");
    }
    assertThrows(IOException.class, () -> get(base, "/healthz"), "nothing listens any more");
    assertThrows(
        IllegalStateException.class,
        () -> predictor.predict(new float[Predictor.IMAGE_SIZE]),
        "the server closed its predictor");
    server.close(); // twice is harmless
  }
}
