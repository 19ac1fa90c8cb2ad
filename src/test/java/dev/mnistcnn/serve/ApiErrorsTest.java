package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.get;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static dev.mnistcnn.serve.ServeTestSupport.post;
import static dev.mnistcnn.serve.ServeTestSupport.send;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every kind of bad request gets a 4xx with {"error": "..."}: no stack trace, no 500. */
@Tag(Tier.FAST)
class ApiErrorsTest {
  private static final String PREDICT = "/v1/models/mnist:predict";
  private static final String IMAGE = "/v1/models/mnist:classify-image";
  private static final int MAX_BODY = 64 * 1024;
  private static final int MAX_INSTANCES = 4;

  private static ServingServer server;
  private static URI base;
  private static String image28x28;

  @BeforeAll
  static void start() throws Exception {
    server =
        ServeTestSupport.startServer(ServerConfig.defaults().withLimits(MAX_BODY, MAX_INSTANCES));
    base = server.url();
    float[] one = ServeTestSupport.testImages().imagesAsFloats(0, 1);
    image28x28 = imageJson(one, 0, 28, 28).toString();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Reply predict(String body) throws Exception {
    return post(base, PREDICT, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void malformedJsonIs400() throws Exception {
    predict("{\"instances\": [").assertError(400, "invalid JSON");
    predict("").assertError(400, "JSON object");
    predict("[1, 2]").assertError(400, "JSON object");
    predict("{\"instances\": []} trailing").assertError(400, "invalid JSON");
  }

  @Test
  void missingOrDoubledBatchKeysAre400() throws Exception {
    predict("{\"signature_name\": \"serving_default\"}")
        .assertError(400, "Missing 'inputs' or 'instances' key");
    predict("{\"instances\": [" + image28x28 + "], \"inputs\": [" + image28x28 + "]}")
        .assertError(400, "not both");
    predict("{\"instances\": []}").assertError(400, "non-empty list");
    predict("{\"inputs\": 3}").assertError(400, "non-empty list");
  }

  @Test
  void wrongShapesAre400() throws Exception {
    predict("{\"instances\": [[1, 2, 3]]}").assertError(400, "instances[0] has shape [3]");
    predict("{\"inputs\": " + image28x28 + "}").assertError(400, "without the batch dimension");
    predict("{\"inputs\": [[[0.5]]]}").assertError(400, "inputs[0] has shape [1, 1]");
    predict("{\"instances\": [" + image28x28 + ", [[0.5]]]}")
        .assertError(400, "instances[1] has shape [1, 1]");
    ArrayNode ragged = (ArrayNode) JSON.readTree(image28x28);
    ((ArrayNode) ragged.get(5)).remove(0);
    predict("{\"instances\": [" + ragged + "]}").assertError(400, "ragged");
    predict("{\"instances\": [{\"pixels\": " + image28x28 + "}]}")
        .assertError(400, "the model has one input");
  }

  @Test
  void nonNumbersNanAndOutOfRangeValuesAre400() throws Exception {
    predict("{\"instances\": [" + image28x28.replaceFirst("0(\\.0)?", "\"0\"") + "]}")
        .assertError(400, "where a number in [0, 1] belongs");
    predict("{\"instances\": [" + image28x28.replaceFirst("0(\\.0)?", "NaN") + "]}")
        .assertError(400, "invalid JSON");
    predict("{\"instances\": [" + image28x28.replaceFirst("0(\\.0)?", "1e999") + "]}")
        .assertError(400, "outside [0, 1]");
    predict("{\"instances\": [" + image28x28.replaceFirst("0(\\.0)?", "255") + "]}")
        .assertError(400, "divided by 255");
    predict("{\"instances\": [" + image28x28.replaceFirst("0(\\.0)?", "-0.5") + "]}")
        .assertError(400, "outside [0, 1]");
  }

  @Test
  void unknownModelVersionAndSignature() throws Exception {
    get(base, "/v1/models/other").assertError(404, "Servable not found for request: Latest(other)");
    get(base, "/v1/models/mnist/versions/2")
        .assertError(404, "Servable not found for request: Specific(mnist, 2)");
    predict("{\"signature_name\": \"classify\", \"instances\": [" + image28x28 + "]}")
        .assertError(400, "Serving signature name: \"classify\" not found in signature def");
    for (String notAString : new String[] {"7", "{\"a\": 1}", "[\"serving_default\"]", "true"}) {
      predict("{\"signature_name\": " + notAString + ", \"instances\": [" + image28x28 + "]}")
          .assertError(400, "signature_name must be a string, got " + notAString.replace(" ", ""));
    }
    post(base, "/v1/models/other:predict", "application/json", new byte[] {'{', '}'})
        .assertError(404, "Servable not found");
  }

  @Test
  void unknownPathsAre404AndOtherVerbs400() throws Exception {
    get(base, "/nope").assertError(404, "Malformed request: GET /nope");
    get(base, "/v1/models/mnist/labels/stable").assertError(404, "Malformed request");
    get(base, "/healthzz").assertError(404, "Malformed request");
    post(base, "/v1/models/mnist:explode", "application/json", new byte[0])
        .assertError(404, "Malformed request");
    post(base, "/v1/models/mnist:classify", "application/json", new byte[0])
        .assertError(400, "use :predict");
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    Reply r = get(base, PREDICT);
    r.assertError(405, "GET not allowed");
    assertEquals("POST", r.headers().firstValue("Allow").orElseThrow());
    Reply put =
        send(
            HttpRequest.newBuilder(base.resolve("/v1/models/mnist"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
    put.assertError(405, "PUT not allowed");
    assertEquals("GET", put.headers().firstValue("Allow").orElseThrow());
    post(base, "/", "text/plain", new byte[1]).assertError(405, "POST not allowed");
    post(base, "/healthz", "text/plain", new byte[1]).assertError(405, "POST not allowed");
  }

  @Test
  void oversizedBodiesAre413() throws Exception {
    byte[] big = new byte[MAX_BODY + 1];
    java.util.Arrays.fill(big, (byte) ' ');
    post(base, PREDICT, "application/json", big).assertError(413, "larger than " + MAX_BODY);
    post(base, IMAGE, "image/png", big).assertError(413, "larger than " + MAX_BODY);
    // No Content-Length: a chunked body is cut off at the limit too.
    Reply chunked =
        send(
            HttpRequest.newBuilder(base.resolve(PREDICT))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big))));
    chunked.assertError(413, "larger than");
    // Far larger, while the client is still sending: it still gets the answer.
    byte[] huge = new byte[80 * MAX_BODY];
    post(base, PREDICT, "application/json", huge).assertError(413, "larger than");
    assertEquals(200, get(base, "/healthz").status(), "the server goes on");
  }

  @Test
  void tooManyInstancesIs413() throws Exception {
    ArrayNode instances = JSON.createArrayNode();
    float[] zeros = new float[784];
    for (int i = 0; i <= MAX_INSTANCES; i++) {
      instances.add(imageJson(zeros, 0, 784));
    }
    ObjectNode body = JSON.createObjectNode().set("instances", instances);
    predict(body.toString()).assertError(413, "at most " + MAX_INSTANCES);
  }

  @Test
  void notAnImageIs400AndABlankImageIs422() throws Exception {
    post(base, IMAGE, "image/png", "not a picture".getBytes(StandardCharsets.UTF_8))
        .assertError(400, "not a readable image");
    post(base, IMAGE, "image/png", new byte[0]).assertError(400, "not a readable image");
    post(base, IMAGE, "image/png", blankPng()).assertError(422, "no digit found in the image");
  }

  @Test
  void wrappedImagesAre415() throws Exception {
    post(base, IMAGE, "multipart/form-data; boundary=x", new byte[] {1})
        .assertError(415, "--data-binary");
    post(base, IMAGE, "application/json", new byte[] {1}).assertError(415, "image file itself");
  }

  private static byte[] blankPng() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(280, 280, BufferedImage.TYPE_BYTE_GRAY), "png", out);
    return out.toByteArray();
  }
}
