package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import dev.mnistcnn.support.Png;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real {@code serve} in a JVM with a 64 MB heap, sent a valid 0.3 MB PNG that decodes to 128 MB
 * (4000 x 4000, 16-bit RGBA, within the pixel limit): the request runs out of memory, the client
 * gets a 503 JSON answer (not an empty reply), and the server goes on serving.
 */
@Tag(Tier.SLOW)
class OutOfMemoryTest {
  @Test
  void outOfMemoryIs503AndTheServerGoesOn() throws Exception {
    byte[] bomb = Png.blank(4000, 4000, 16, Png.Colour.RGBA);
    assertTrue(bomb.length < 1_000_000, bomb.length + " bytes");
    float[] image = ServeTestSupport.testImages().imagesAsFloats(0, 1);
    ObjectNode predict = JSON.createObjectNode();
    predict.putArray("instances").add(imageJson(image, 0, 28, 28, 1));

    try (ServeProcess server = ServeProcess.start(List.of("-Xmx64m"), List.of())) {
      URI base = server.url();
      for (int round = 0; round < 3; round++) {
        Reply r = ServeTestSupport.post(base, "/v1/models/mnist:classify-image", "image/png", bomb);
        r.assertError(503, "ran out of memory");
        Reply ok = ServeTestSupport.postJson(base, "/v1/models/mnist:predict", predict);
        assertEquals(200, ok.status(), ok.text());
        assertEquals(1, ok.json().get("predictions").size());
      }
      String metrics = ServeTestSupport.get(base, ServerMetrics.PATH).text();
      assertTrue(metrics.contains("mnist_out_of_memory_total 3\n"), metrics);
      assertTrue(server.isAlive());
      String err = server.stderr();
      assertFalse(err.contains("\tat "), "no stack trace in the server's output:\n" + err);
    }
  }
}
