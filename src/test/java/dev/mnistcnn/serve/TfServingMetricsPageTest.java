package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.get;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static dev.mnistcnn.serve.ServeTestSupport.png;
import static dev.mnistcnn.serve.ServeTestSupport.post;
import static dev.mnistcnn.serve.ServeTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import dev.mnistcnn.serve.grpc.proto.GetModelMetadataRequest;
import dev.mnistcnn.serve.grpc.proto.GetModelStatusRequest;
import dev.mnistcnn.support.Grpc;
import dev.mnistcnn.support.Python;
import io.grpc.Status;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics page after real requests, OK and failing, over REST and gRPC, read by Prometheus's
 * own Python parser: every metric on it parses, and TF Serving's request count and latency hold
 * exactly what was sent.
 */
@Tag(Tier.PYTHON)
class TfServingMetricsPageTest {
  private static final String COUNT = ":tensorflow:serving:request_count";
  private static final String LATENCY = ":tensorflow:serving:request_latency";

  /** TF Serving's bucket bounds as its page writes them: 10 µs times 1.8^i, C's %.6g. */
  private static final List<String> BOUNDS =
      List.of(
          "10",
          "18",
          "32.4",
          "58.32",
          "104.976",
          "188.957",
          "340.122",
          "612.22",
          "1102",
          "1983.59",
          "3570.47",
          "6426.84",
          "11568.3",
          "20823",
          "37481.3",
          "67466.4",
          "121440",
          "218591",
          "393464",
          "708235",
          "1.27482e+06",
          "2.29468e+06",
          "4.13043e+06",
          "7.43477e+06",
          "1.33826e+07",
          "2.40887e+07",
          "4.33596e+07",
          "7.80473e+07",
          "1.40485e+08",
          "2.52873e+08",
          "4.55172e+08",
          "8.19309e+08",
          "1.47476e+09",
          "+Inf");

  @Test
  void requestsAreCountedAsTfServingCountsThem(@TempDir Path dir) throws Exception {
    Map<String, JsonNode> families;
    try (ServingServer server =
        ServeTestSupport.startServer(ServerConfig.defaults().withGrpcPort(0))) {
      URI base = server.url();
      sendMix(base);
      sendGrpcMix(server.grpcPort());
      Reply page = get(base, ServerMetrics.PATH);
      assertEquals(200, page.status(), page.text());
      families = parse(page.text(), dir);
    }

    assertEquals("counter", families.get(COUNT).get("type").asText());
    assertEquals(
        Map.of(
            "mnist/OK", 10.0,
            "mnist/INVALID_ARGUMENT", 6.0,
            "nosuch/NOT_FOUND", 3.0),
        values(families.get(COUNT), "model_name", "status"));

    JsonNode latency = families.get(LATENCY);
    assertEquals("histogram", latency.get("type").asText());
    Map<String, List<JsonNode>> series = bySeries(latency);
    // OK answers only, API as TF Serving's REST names it: the URL's verb, none for a GET.
    assertEquals(
        Map.of(
            "mnist//REST", 2.0,
            "mnist/predict/REST", 4.0,
            "mnist/classify/REST", 1.0,
            "mnist/Predict/GRPC", 3.0),
        counts(series));
    series.forEach(TfServingMetricsPageTest::assertConsistentHistogram);
  }

  /**
   * 7 OK, 5 refused with 4xx (INVALID_ARGUMENT), 2 for an unknown model; 1 malformed, uncounted.
   */
  private static void sendMix(URI base) throws Exception {
    float[] images = ServeTestSupport.testImages().imagesAsFloats(0, 1);
    ObjectNode predict = ServeTestSupport.JSON.createObjectNode();
    predict.putArray("instances").add(imageJson(images, 0, 28, 28, 1));
    List<Reply> replies = new ArrayList<>();
    replies.add(get(base, "/v1/models/mnist"));
    replies.add(get(base, "/v1/models/mnist/versions/1/metadata"));
    for (int i = 0; i < 4; i++) {
      replies.add(postJson(base, "/v1/models/mnist:predict", predict));
    }
    replies.add(post(base, "/v1/models/mnist:classify-image", "image/png", png(images, 0)));
    assertEquals(List.of(200, 200, 200, 200, 200, 200, 200), statuses(replies));
    replies.clear();

    byte[] notJson = "{\"instances\": [".getBytes(StandardCharsets.UTF_8);
    replies.add(post(base, "/v1/models/mnist:predict", "application/json", notJson));
    replies.add(
        post(
            base,
            "/v1/models/mnist:predict",
            "application/json",
            "{}".getBytes(StandardCharsets.UTF_8)));
    replies.add(post(base, "/v1/models/mnist:classify-image", "text/plain", png(images, 0)));
    replies.add(postJson(base, "/v1/models/mnist:classify", predict));
    replies.add(get(base, "/v1/models/mnist:predict"));
    replies.add(get(base, "/v1/models/nosuch"));
    replies.add(postJson(base, "/v1/models/nosuch:predict", predict));
    replies.add(get(base, "/v1/models/mnist:explain"));
    assertEquals(List.of(400, 400, 415, 400, 405, 404, 404, 404), statuses(replies));
  }

  /**
   * Through gRPC: 3 Predicts OK, one with a bad shape (INVALID_ARGUMENT), one for an unknown model;
   * metadata and status calls, which TF Serving does not count on gRPC.
   */
  private static void sendGrpcMix(int port) {
    float[] image = ServeTestSupport.testImages().imagesAsFloats(0, 1);
    try (Grpc.Client client = Grpc.Client.to(port)) {
      for (int i = 0; i < 3; i++) {
        client
            .predictions()
            .predict(Grpc.predict("mnist", "input_layer", Grpc.content(image, 1, 784)));
      }
      Grpc.assertStatus(
          Status.Code.INVALID_ARGUMENT,
          "",
          () ->
              client
                  .predictions()
                  .predict(Grpc.predict("mnist", "input_layer", Grpc.content(image, 2, 392))));
      Grpc.assertStatus(
          Status.Code.NOT_FOUND,
          "nosuch",
          () ->
              client
                  .predictions()
                  .predict(Grpc.predict("nosuch", "input_layer", Grpc.content(image, 1, 784))));
      client
          .models()
          .getModelStatus(
              GetModelStatusRequest.newBuilder().setModelSpec(Grpc.spec("mnist")).build());
      client
          .predictions()
          .getModelMetadata(
              GetModelMetadataRequest.newBuilder()
                  .setModelSpec(Grpc.spec("mnist"))
                  .addMetadataField("signature_def")
                  .build());
    }
  }

  private static List<Integer> statuses(List<Reply> replies) {
    return replies.stream().map(Reply::status).toList();
  }

  /**
   * The page as prometheus_client's parser reads it, by family name. Every family is typed (no line
   * fell outside its # TYPE) and there are as many as # TYPE lines (none merged or dropped).
   */
  private static Map<String, JsonNode> parse(String page, Path dir) throws Exception {
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, page);
    JsonNode parsed = Python.runJson(Python.keras(), "fixtures/prometheus_text.py", file);
    Map<String, JsonNode> families = new LinkedHashMap<>();
    for (JsonNode f : parsed.get("families")) {
      assertTrue(
          List.of("counter", "gauge", "histogram").contains(f.get("type").asText()), f.toString());
      assertTrue(f.get("samples").size() > 0, f.toString());
      families.put(f.get("name").asText(), f);
    }
    long typeLines = page.lines().filter(l -> l.startsWith("# TYPE ")).count();
    assertEquals(typeLines, families.size(), page);
    for (String ours :
        List.of("mnist_open_connections", "mnist_admitted_requests", "mnist_batch_runs")) {
      assertTrue(families.containsKey(ours), ours + " in " + families.keySet());
    }
    return families;
  }

  /** Sample values by the given labels' values joined with '/'. */
  private static Map<String, Double> values(JsonNode family, String... labels) {
    Map<String, Double> out = new HashMap<>();
    for (JsonNode s : family.get("samples")) {
      out.put(key(s, labels), s.get("value").asDouble());
    }
    return out;
  }

  private static String key(JsonNode sample, String... labels) {
    List<String> parts = new ArrayList<>();
    for (String label : labels) {
      parts.add(sample.get("labels").get(label).asText());
    }
    return String.join("/", parts);
  }

  /** A histogram's samples by series (model_name/API/entrypoint). */
  private static Map<String, List<JsonNode>> bySeries(JsonNode histogram) {
    Map<String, List<JsonNode>> out = new TreeMap<>();
    for (JsonNode s : histogram.get("samples")) {
      out.computeIfAbsent(key(s, "model_name", "API", "entrypoint"), k -> new ArrayList<>()).add(s);
    }
    return out;
  }

  private static Map<String, Double> counts(Map<String, List<JsonNode>> series) {
    Map<String, Double> out = new HashMap<>();
    series.forEach((key, samples) -> out.put(key, sample(samples, "_count").asDouble()));
    return out;
  }

  private static JsonNode sample(List<JsonNode> samples, String suffix) {
    return samples.stream()
        .filter(s -> s.get("name").asText().equals(LATENCY + suffix))
        .map(s -> s.get("value"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + suffix + " in " + samples));
  }

  /** TF Serving's bounds in order, counts cumulative, +Inf equal to _count, a _sum. */
  private static void assertConsistentHistogram(String series, List<JsonNode> samples) {
    List<String> bounds = new ArrayList<>();
    double previous = 0;
    for (JsonNode s : samples) {
      if (s.get("name").asText().equals(LATENCY + "_bucket")) {
        bounds.add(s.get("labels").get("le").asText());
        double cumulative = s.get("value").asDouble();
        assertTrue(cumulative >= previous, series + ": " + samples);
        previous = cumulative;
      }
    }
    assertEquals(BOUNDS, bounds, series);
    assertEquals(sample(samples, "_count").asDouble(), previous, series);
    assertTrue(sample(samples, "_sum").asDouble() >= 0, series + ": " + samples);
  }
}
