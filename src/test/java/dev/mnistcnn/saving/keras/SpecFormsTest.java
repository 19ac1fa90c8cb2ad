package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.data.Split;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.inference.Predictor;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.serve.ServerConfig;
import dev.mnistcnn.serve.ServingServer;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.support.Python;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code train --spec} takes exactly what {@code model.to_json()} writes in Keras 3.15 ({@code
 * tools/.venv}) and Keras 3.3.3 ({@code tools/.venv-keras-old}), for a CNN with same padding,
 * BatchNormalization, Dropout and global pooling ({@code tools/fixtures/keras_spec_json.py}); both
 * read as one model, with Keras's parameter count; and every command works on what it trains:
 * {@code summary}, {@code export} to {@code .keras} and {@code .h5}, {@code predict} on each (the
 * same digits), {@code serve} answering a real HTTP predict request with the same probabilities.
 * The short form of the same model ({@link ShortSpec}) reads as that model too, and trains.
 */
@Tag(Tier.PYTHON)
class SpecFormsTest {
  @Test
  void toJsonOfBothKerasReleasesTrainsAndEveryCommandWorksOnTheResult() throws Exception {
    Path dir = Interop.fresh("spec-forms");
    List<ModelSpec> specs = new ArrayList<>();
    for (Path python : List.of(Python.keras(), Python.oldKeras())) {
      assertTrue(python != null, "tools/.venv-keras-old is missing: run tools/setup.sh");
      Path file = dir.resolve(python.getParent().getParent().getFileName() + ".json");
      JsonNode made = Python.runJson(python, "fixtures/keras_spec_json.py", "--out", file);
      specs.add(KerasModelConfig.parse(Json.MAPPER.readTree(file.toFile())));
      checkEveryCommand(file, made.get("params").asLong(), made.get("keras_version").asText());
    }
    assertEquals(specs.get(0), specs.get(1), "both releases' to_json() read as one model");

    // The short form of the same model: only the keys that differ from Keras's defaults.
    Path brief = dir.resolve("short.json");
    Files.writeString(
        brief,
        "[{\"Conv2D\": {\"filters\": 8, \"kernel_size\": 3, \"padding\": \"same\","
            + " \"activation\": \"relu\"}}, {\"BatchNormalization\": {}},"
            + " {\"MaxPooling2D\": {}}, {\"Dropout\": {\"rate\": 0.25}},"
            + " {\"Conv2D\": {\"filters\": 16, \"kernel_size\": 3, \"activation\": \"relu\"}},"
            + " {\"GlobalAveragePooling2D\": {}},"
            + " {\"Dense\": {\"units\": 10, \"activation\": \"softmax\"}}]");
    assertEquals(
        specs.get(0), ShortSpec.parse(Json.MAPPER.readTree(brief.toFile())), "short = to_json()");
    Path model = dir.resolve("short.keras");
    Cli.runOk(
        "train",
        "--spec",
        brief,
        "--epochs",
        "1",
        "--limit",
        "200",
        "--data",
        Interop.mnistDir(),
        "--output",
        model);
    assertEquals(specs.get(0), dev.mnistcnn.saving.ModelReader.read(model, null).weights().spec());
  }

  private static void checkEveryCommand(Path spec, long kerasParams, String version)
      throws Exception {
    Path dir = spec.getParent();
    String name = spec.getFileName().toString().replace(".json", "");
    Path savedModel = dir.resolve(name + "-sm");
    String mnist = Interop.mnistDir().toString();
    Cli.runOk(
        "train",
        "--spec",
        spec,
        "--epochs",
        "1",
        "--limit",
        "1000",
        "--data",
        mnist,
        "--output",
        savedModel);
    String summary = Cli.runOk("summary", "--model", savedModel).out();
    for (String layer :
        List.of(
            "conv2d (Conv2D)",
            "batch_normalization (BatchNormalization)",
            "dropout (Dropout)",
            "global_average_pooling2d (GlobalAveragePooling2D)")) {
      assertTrue(summary.contains(layer), version + ": " + layer + " in\n" + summary);
    }
    assertTrue(
        summary.contains(String.format(java.util.Locale.ROOT, "Total params: %,d ", kerasParams)),
        version + ": Keras's parameter count " + kerasParams + " in\n" + summary);
    Path keras = dir.resolve(name + ".keras");
    Path h5 = dir.resolve(name + ".h5");
    Cli.runOk("export", "--model", savedModel, "--format", "keras", "--output", keras);
    Cli.runOk("export", "--model", savedModel, "--format", "h5", "--output", h5);
    Path images = Interop.mnistDir().resolve("t10k-images-idx3-ubyte");
    JsonNode expected = null;
    for (Path model : List.of(savedModel, keras, h5)) {
      JsonNode predicted =
          Json.MAPPER.readTree(
              Cli.runOk("predict", "--model", model, "--idx", images, "--limit", "5", "--json")
                  .out());
      assertEquals(5, predicted.size(), version + " " + model);
      if (expected == null) {
        expected = predicted;
      }
      for (int i = 0; i < 5; i++) {
        assertEquals(
            expected.get(i).get("digit"), predicted.get(i).get("digit"), version + " " + model);
      }
    }
    assertServes(savedModel, expected.get(0).get("probabilities"), version);
  }

  /** {@code serve}'s server on loopback answers a TF Serving predict for test image 0. */
  private static void assertServes(Path model, JsonNode probabilities, String version)
      throws Exception {
    Split test = TestData.mnist().test();
    float[] image = test.imagesAsFloats(0, 1);
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode pixels = body.putArray("instances").addArray();
    for (float p : image) {
      pixels.add(p);
    }
    try (ServingServer server =
        ServingServer.start(Predictor.open(model), ServerConfig.defaults().withPort(0))) {
      HttpResponse<String> reply =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(server.url().resolve("/v1/models/mnist:predict"))
                      .POST(
                          HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, reply.statusCode(), version + ": " + reply.body());
      JsonNode served = Json.MAPPER.readTree(reply.body()).get("predictions").get(0);
      assertEquals(10, served.size(), reply.body());
      for (int c = 0; c < 10; c++) {
        assertEquals(
            probabilities.get(c).asDouble(),
            served.get(c).asDouble(),
            1e-6,
            version + " class " + c);
      }
    }
  }
}
