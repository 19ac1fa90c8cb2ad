package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.floats;
import static dev.mnistcnn.serve.ServeTestSupport.get;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static dev.mnistcnn.serve.ServeTestSupport.png;
import static dev.mnistcnn.serve.ServeTestSupport.post;
import static dev.mnistcnn.serve.ServeTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.inference.DigitPreprocessor;
import dev.mnistcnn.inference.Prediction;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every endpoint's successful answer, in TF Serving's shapes, equal to the Predictor's output. */
@Tag(Tier.FAST)
class ModelApiTest {
  private static final int BATCH = 8;
  private static final String PREDICT = "/v1/models/mnist:predict";

  private static ServingServer server;
  private static Predictor reference;
  private static URI base;
  private static float[] images;
  private static float[] expected;

  @BeforeAll
  static void start() throws Exception {
    server = ServeTestSupport.startServer();
    base = server.url();
    reference = Predictor.open(ServeTestSupport.model());
    images = ServeTestSupport.testImages().imagesAsFloats(0, BATCH);
    expected = reference.probabilities(images, BATCH);
  }

  @AfterAll
  static void stop() {
    server.close();
    reference.close();
  }

  @Test
  void statusIsTfServingsModelVersionStatus() throws Exception {
    for (String path : List.of("/v1/models/mnist", "/v1/models/mnist/versions/1")) {
      Reply r = get(base, path);
      assertEquals(200, r.status());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
      assertEquals(
          JSON.readTree(
              "{\"model_version_status\":[{\"version\":\"1\",\"state\":\"AVAILABLE\","
                  + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}]}"),
          r.json(),
          path);
    }
  }

  @Test
  void metadataDescribesTheServingSignature() throws Exception {
    for (String path :
        List.of("/v1/models/mnist/metadata", "/v1/models/mnist/versions/1/metadata")) {
      JsonNode m = get(base, path).json();
      assertEquals(
          JSON.readTree("{\"name\":\"mnist\",\"signature_name\":\"\",\"version\":\"1\"}"),
          m.get("model_spec"));
      JsonNode sig = m.at("/metadata/signature_def/signature_def/serving_default");
      assertEquals("tensorflow/serving/predict", sig.get("method_name").asText());
      JsonNode input = sig.get("inputs").get(reference.inputName());
      assertEquals("DT_FLOAT", input.get("dtype").asText());
      assertEquals(List.of("-1", "28", "28", "1"), sizes(input));
      assertEquals(List.of("-1", "10"), sizes(sig.get("outputs").get(reference.outputName())));
    }
  }

  private static List<String> sizes(JsonNode tensor) {
    return tensor.at("/tensor_shape/dim").findValuesAsText("size");
  }

  @Test
  void healthIsOk() throws Exception {
    for (String path : List.of("/healthz", "/health")) {
      assertEquals(JSON.readTree("{\"status\":\"ok\"}"), get(base, path).json());
    }
  }

  @Test
  void rowFormatGivesThePredictorsProbabilitiesExactly() throws Exception {
    for (int[] shape : List.of(new int[] {28, 28, 1}, new int[] {28, 28}, new int[] {784})) {
      ObjectNode body = JSON.createObjectNode();
      ArrayNode instances = body.putArray("instances");
      for (int i = 0; i < BATCH; i++) {
        instances.add(imageJson(images, i, shape));
      }
      Reply r = postJson(base, PREDICT, body);
      assertEquals(200, r.status(), r.text());
      assertEquals(1, r.json().size(), "only \"predictions\": " + r.text());
      assertArrayEquals(expected, floats(r.json().get("predictions")), shape.length + "-d");
    }
  }

  @Test
  void columnarFormatGivesThePredictorsProbabilitiesExactly() throws Exception {
    ArrayNode batch = JSON.createArrayNode();
    for (int i = 0; i < BATCH; i++) {
      batch.add(imageJson(images, i, 28, 28, 1));
    }
    ObjectNode plain = JSON.createObjectNode().set("inputs", batch);
    ObjectNode named = JSON.createObjectNode();
    named.putObject("inputs").set(reference.inputName(), batch);
    named.put("signature_name", "serving_default");
    for (ObjectNode body : List.of(plain, named)) {
      Reply r = postJson(base, "/v1/models/mnist/versions/1:predict", body);
      assertEquals(200, r.status(), r.text());
      assertEquals(1, r.json().size(), "only \"outputs\": " + r.text());
      assertArrayEquals(expected, floats(r.json().get("outputs")));
    }
  }

  @Test
  void rowInstancesMayNameTheInput() throws Exception {
    ObjectNode body = JSON.createObjectNode().put("signature_name", "");
    body.putArray("instances").addObject().set(reference.inputName(), imageJson(images, 0, 784));
    Reply r = postJson(base, PREDICT, body);
    assertEquals(200, r.status(), r.text());
    float[] first = reference.probabilities(Arrays.copyOf(images, Predictor.IMAGE_SIZE), 1);
    assertArrayEquals(first, floats(r.json().get("predictions")));
  }

  @Test
  void curlsDefaultFormContentTypeIsAcceptedLikeTfServing() throws Exception {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("instances").add(imageJson(images, 0, 28, 28));
    Reply r =
        post(base, PREDICT, "application/x-www-form-urlencoded", JSON.writeValueAsBytes(body));
    assertEquals(200, r.status(), r.text());
  }

  @Test
  void classifyImageAnswersLikeThePreprocessorAndPredictor() throws Exception {
    Split test = ServeTestSupport.testImages();
    for (int i = 0; i < 3; i++) {
      byte[] file = png(images, i);
      Reply r = post(base, "/v1/models/mnist:classify-image", "image/png", file);
      assertEquals(200, r.status(), r.text());
      Prediction p = reference.predict(DigitPreprocessor.fromImageBytes(file));
      JsonNode json = r.json();
      assertEquals(test.label(i), json.get("digit").asInt(), "MNIST test image " + i);
      assertEquals(p.digit(), json.get("digit").asInt());
      assertArrayEquals(
          p.probabilities(), floats(JSON.createArrayNode().add(json.get("probabilities"))));
      JsonNode top = json.get("top");
      assertEquals(ImageHandler.TOP, top.size());
      assertEquals(p.digit(), top.get(0).get("digit").asInt());
      assertEquals(p.confidence(), top.get(0).get("probability").floatValue());
      assertTrue(top.get(1).get("probability").floatValue() <= p.confidence());
    }
  }

  @Test
  void drawingPageIsServedWithItsScriptAndStyle() throws Exception {
    Reply page = get(base, "/");
    assertEquals(200, page.status());
    assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    assertTrue(page.text().contains("data-model=\"mnist\""), "model name filled in");
    assertTrue(
        page.headers()
            .firstValue("Content-Security-Policy")
            .orElseThrow()
            .contains("default-src 'self'"));
    assertTrue(
        !page.text().contains("http://") && !page.text().contains("https://"),
        "nothing loaded from elsewhere");
    assertEquals(page.text(), get(base, "/index.html").text());
    assertTrue(get(base, "/app.js").text().contains(":classify-image"));
    assertTrue(
        get(base, "/style.css")
            .headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("text/css"));
  }
}
