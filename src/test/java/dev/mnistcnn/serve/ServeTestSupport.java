package dev.mnistcnn.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.inference.DigitPreprocessor;
import dev.mnistcnn.inference.Predictor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;

/** Servers on the shared test model, plus HTTP and JSON helpers. */
final class ServeTestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private ServeTestSupport() {}

  /** A fresh server on an ephemeral loopback port with its own predictor of {@link #model()}. */
  static ServingServer startServer(ServerConfig config) throws Exception {
    return ServingServer.start(Predictor.open(TestData.shippedModel()), config.withPort(0));
  }

  static ServingServer startServer() throws Exception {
    return startServer(ServerConfig.defaults());
  }

  static Path model() {
    return TestData.shippedModel();
  }

  static Split testImages() {
    return TestData.mnist().test();
  }

  /** Status, headers and body of one exchange. */
  @SuppressWarnings("ArrayRecordComponent") // a body to read, never compared
  record Reply(int status, HttpHeaders headers, byte[] body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + text(), e);
      }
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Asserts a TF Serving-style error: the status, {"error": "..."} with the fragment, no trace.
     */
    void assertError(int expectedStatus, String fragment) {
      assertEquals(expectedStatus, status, text());
      assertEquals("application/json", headers.firstValue("Content-Type").orElse(""), text());
      JsonNode json = json();
      assertEquals(1, json.size(), text());
      assertTrue(json.get("error").isTextual(), text());
      assertTrue(json.get("error").asText().contains(fragment), "'" + fragment + "' in " + text());
      assertFalse(text().contains("Exception") || text().contains("\tat "), text());
    }
  }

  static Reply get(URI base, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  static Reply post(URI base, String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  static Reply postJson(URI base, String path, Object body)
      throws IOException, InterruptedException {
    return post(base, path, "application/json", JSON.writeValueAsBytes(body));
  }

  static Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        CLIENT.send(
            request.timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.headers(), r.body());
  }

  /** Image {@code index} of {@code images} as nested JSON lists of the given shape. */
  static ArrayNode imageJson(float[] images, int index, int... shape) {
    int[] next = {index * Predictor.IMAGE_SIZE};
    return nested(images, next, shape, 0);
  }

  private static ArrayNode nested(float[] values, int[] next, int[] shape, int depth) {
    ArrayNode node = JSON.createArrayNode();
    for (int i = 0; i < shape[depth]; i++) {
      if (depth == shape.length - 1) {
        node.add(values[next[0]++]);
      } else {
        node.add(nested(values, next, shape, depth + 1));
      }
    }
    return node;
  }

  /** A PNG of one 28x28 image in [0, 1], white on black. */
  static byte[] png(float[] images, int index) {
    float[] one = new float[Predictor.IMAGE_SIZE];
    System.arraycopy(images, index * one.length, one, 0, one.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(DigitPreprocessor.toImage(one), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Probabilities from a JSON list of lists. */
  static float[] floats(JsonNode rows) {
    int classes = rows.get(0).size();
    float[] out = new float[rows.size() * classes];
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(classes, rows.get(i).size());
      for (int c = 0; c < classes; c++) {
        out[i * classes + c] = rows.get(i).get(c).floatValue();
      }
    }
    return out;
  }
}
