package dev.mnistcnn.serve;

import static dev.mnistcnn.serve.ServeTestSupport.JSON;
import static dev.mnistcnn.serve.ServeTestSupport.floats;
import static dev.mnistcnn.serve.ServeTestSupport.get;
import static dev.mnistcnn.serve.ServeTestSupport.imageJson;
import static dev.mnistcnn.serve.ServeTestSupport.post;
import static dev.mnistcnn.serve.ServeTestSupport.postJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.inference.BatchingConfig;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import dev.mnistcnn.serve.ServeTestSupport.Reply;
import dev.mnistcnn.serve.grpc.proto.GetModelStatusRequest;
import dev.mnistcnn.serve.grpc.proto.GetModelStatusResponse;
import dev.mnistcnn.serve.grpc.proto.ModelSpec;
import dev.mnistcnn.serve.grpc.proto.PredictRequest;
import dev.mnistcnn.serve.grpc.proto.PredictResponse;
import dev.mnistcnn.serve.models.BasePathModel;
import dev.mnistcnn.serve.models.ModelManager;
import dev.mnistcnn.serve.models.VersionPolicy;
import dev.mnistcnn.support.Grpc;
import dev.mnistcnn.support.ModelVersions;
import io.grpc.Status;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The REST API over versions: {@code /versions/N} and {@code /labels/L} for metadata, predict and
 * images, the status list, and TF Serving's errors for versions and labels nothing serves; and the
 * same through gRPC's ModelSpec on the same server.
 */
@Tag(Tier.FAST)
class VersionRoutingTest {
  private static Path base;
  private static ServingServer server;
  private static URI url;
  private static ObjectNode body;
  private static float[] image;
  private static float[] plainAnswer;
  private static float[] augmentedAnswer;

  @BeforeAll
  static void start() throws Exception {
    base = Files.createTempDirectory("versions");
    ModelVersions.deploy(base, 1, ModelVersions.plain());
    ModelVersions.deploy(base, 2, ModelVersions.augmented());
    ModelManager models =
        ModelManager.start(
            List.of(
                new BasePathModel(
                    "mnist", base, new VersionPolicy.All(), Map.of("stable", 1L, "canary", 2L))),
            new ModelManager.Settings(
                ModelTrust.CHECKED,
                Duration.ofSeconds(10),
                BatchingConfig.disabled(),
                Duration.ZERO,
                false));
    server = ServingServer.start(models, ServerConfig.defaults().withPort(0).withGrpcPort(0));
    url = server.url();
    image = ServeTestSupport.testImages().imagesAsFloats(0, 1);
    try (Predictor plain = Predictor.open(ModelVersions.plain());
        Predictor augmented = Predictor.open(ModelVersions.augmented())) {
      plainAnswer = plain.probabilities(image, 1);
      augmentedAnswer = augmented.probabilities(image, 1);
    }
    body = JSON.createObjectNode();
    body.putArray("instances").add(imageJson(image, 0, 28, 28, 1));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    dev.mnistcnn.FileTrees.delete(base);
  }

  private static float[] predict(String path) throws Exception {
    Reply r = postJson(url, path, body);
    assertEquals(200, r.status(), r.text());
    return floats(r.json().get("predictions"));
  }

  @Test
  void statusListsEveryVersionNewestFirst() throws Exception {
    String available =
        "{\"version\":\"%d\",\"state\":\"AVAILABLE\","
            + "\"status\":{\"error_code\":\"OK\",\"error_message\":\"\"}}";
    assertEquals(
        JSON.readTree(
            "{\"model_version_status\":["
                + available.formatted(2)
                + ","
                + available.formatted(1)
                + "]}"),
        get(url, "/v1/models/mnist").json());
    assertEquals(
        JSON.readTree("{\"model_version_status\":[" + available.formatted(1) + "]}"),
        get(url, "/v1/models/mnist/versions/1").json());
  }

  @Test
  void versionsAndLabelsRouteEachCall() throws Exception {
    assertArrayEquals(augmentedAnswer, predict("/v1/models/mnist:predict"), "the newest");
    assertArrayEquals(plainAnswer, predict("/v1/models/mnist/versions/1:predict"));
    assertArrayEquals(augmentedAnswer, predict("/v1/models/mnist/versions/2:predict"));
    assertArrayEquals(plainAnswer, predict("/v1/models/mnist/labels/stable:predict"));
    assertArrayEquals(augmentedAnswer, predict("/v1/models/mnist/labels/canary:predict"));
    for (String[] pathAndVersion :
        new String[][] {
          {"/v1/models/mnist/metadata", "2"},
          {"/v1/models/mnist/versions/1/metadata", "1"},
          {"/v1/models/mnist/labels/stable/metadata", "1"},
          {"/v1/models/mnist/labels/canary/metadata", "2"}
        }) {
      assertEquals(
          JSON.readTree(
              "{\"name\":\"mnist\",\"signature_name\":\"\",\"version\":\""
                  + pathAndVersion[1]
                  + "\"}"),
          get(url, pathAndVersion[0]).json().get("model_spec"),
          pathAndVersion[0]);
    }
    byte[] png = ServeTestSupport.png(image, 0);
    Reply one = post(url, "/v1/models/mnist/versions/1:classify-image", "image/png", png);
    Reply stable = post(url, "/v1/models/mnist/labels/stable:classify-image", "image/png", png);
    Reply canary = post(url, "/v1/models/mnist/labels/canary:classify-image", "image/png", png);
    assertEquals(200, canary.status(), canary.text());
    assertEquals(one.json(), stable.json(), "the same version");
    assertNotEquals(one.json(), canary.json(), "the other version's weights");
  }

  @Test
  void unknownVersionsAndLabelsAreTfServingsErrors() throws Exception {
    postJson(url, "/v1/models/mnist/versions/3:predict", body)
        .assertError(404, "Servable not found for request: Specific(mnist, 3)");
    get(url, "/v1/models/mnist/versions/3/metadata")
        .assertError(404, "Servable not found for request: Specific(mnist, 3)");
    get(url, "/v1/models/mnist/versions/3")
        .assertError(404, "Could not find version 3 of model mnist");
    postJson(url, "/v1/models/mnist/labels/nope:predict", body)
        .assertError(400, "Unrecognized servable version label: nope");
    get(url, "/v1/models/other").assertError(404, "Could not find any versions of model other");
    postJson(url, "/v1/models/other:predict", body)
        .assertError(404, "Servable not found for request: Latest(other)");
    get(url, "/v1/models/mnist/labels/stable").assertError(404, "Malformed request");
  }

  @Test
  void grpcRoutesByVersionAndLabelAsRestDoes() {
    try (Grpc.Client client = Grpc.Client.to(server.grpcPort())) {
      for (Object[] specAndAnswer :
          new Object[][] {
            {Grpc.spec("mnist"), augmentedAnswer, 2L},
            {Grpc.spec("mnist", 1), plainAnswer, 1L},
            {
              ModelSpec.newBuilder().setName("mnist").setVersionLabel("stable").build(),
              plainAnswer,
              1L
            },
            {
              ModelSpec.newBuilder().setName("mnist").setVersionLabel("canary").build(),
              augmentedAnswer,
              2L
            }
          }) {
        PredictResponse r =
            client
                .predictions()
                .predict(
                    PredictRequest.newBuilder()
                        .setModelSpec((ModelSpec) specAndAnswer[0])
                        .putInputs("input_layer", Grpc.content(image, 1, 784))
                        .build());
        assertEquals((long) specAndAnswer[2], r.getModelSpec().getVersion().getValue());
        assertArrayEquals(
            (float[]) specAndAnswer[1],
            Grpc.floats(r.getOutputsMap().values().iterator().next()),
            String.valueOf(specAndAnswer[0]));
      }
      GetModelStatusResponse status =
          client
              .models()
              .getModelStatus(
                  GetModelStatusRequest.newBuilder().setModelSpec(Grpc.spec("mnist")).build());
      assertEquals(
          List.of(2L, 1L),
          status.getModelVersionStatusList().stream().map(v -> v.getVersion()).toList());
      Grpc.assertStatus(
          Status.Code.NOT_FOUND,
          "Servable not found for request: Specific(mnist, 3)",
          () ->
              client
                  .predictions()
                  .predict(
                      Grpc.predict("mnist", "input_layer", Grpc.content(image, 1, 784)).toBuilder()
                          .setModelSpec(Grpc.spec("mnist", 3))
                          .build()));
      Grpc.assertStatus(
          Status.Code.INVALID_ARGUMENT,
          "Unrecognized servable version label: nope",
          () ->
              client
                  .predictions()
                  .predict(
                      Grpc.predict("mnist", "input_layer", Grpc.content(image, 1, 784)).toBuilder()
                          .setModelSpec(
                              ModelSpec.newBuilder().setName("mnist").setVersionLabel("nope"))
                          .build()));
    }
  }
}
