package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.model.ActivationFunction;
import dev.mnistcnn.model.Conv2D;
import dev.mnistcnn.model.Dense;
import dev.mnistcnn.model.Flatten;
import dev.mnistcnn.model.MaxPooling2D;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.provenance.TrainerProvenance;
import dev.mnistcnn.support.Cli;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files this program must refuse, each with one clear line naming the problem (item 8g). */
@Tag(Tier.FAST)
class KerasRefusalsTest {
  @TempDir Path tmp;

  private static final Provenance PROVENANCE =
      Provenance.create(
          RuntimeVersions.current(),
          "test",
          null,
          new TrainerProvenance(1L, Map.of()),
          null,
          null,
          null,
          null);

  /** A .keras zip with the seed model's weights and its config changed by {@code edit}. */
  private Path kerasWithConfig(String name, Consumer<ObjectNode> edit) throws IOException {
    ModelSpec seed = ModelSpec.seedCnn();
    ObjectNode config = KerasModelConfig.toKeras3(seed);
    edit.accept(config);
    Path h5 = tmp.resolve(name + ".weights.h5");
    WeightsH5.write(seed.initialWeights(1), PROVENANCE, h5);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("config.json", Json.MAPPER.writeValueAsBytes(config));
    entries.put("model.weights.h5", Files.readAllBytes(h5));
    return zip(name + ".keras", entries);
  }

  private Path zip(String name, Map<String, byte[]> entries) throws IOException {
    Path file = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (var e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  private static ObjectNode layer(ObjectNode model, int index) {
    return (ObjectNode) model.get("config").get("layers").get(index);
  }

  private static void assertRefused(Path file, String... fragments) {
    IOException e = assertThrows(IOException.class, () -> ModelReader.read(file, null));
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
    }
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void lambdaLayer() throws Exception {
    Path file =
        kerasWithConfig(
            "lambda",
            m -> {
              ObjectNode l = layer(m, 5);
              l.put("class_name", "Lambda");
              ((ObjectNode) l.get("config"))
                  .put("function", "gAWVKAAAAAAAAACMCGJ1aWx0aW5zlIwEZXZhbJSTlC4=");
            });
    assertRefused(file, "layer 'flatten' is a Lambda layer");
  }

  @Test
  void channelsFirstConv() throws Exception {
    Path file =
        kerasWithConfig(
            "cf",
            m -> ((ObjectNode) layer(m, 1).get("config")).put("data_format", "channels_first"));
    assertRefused(file, "layer 'conv2d'", "data_format=channels_first");
  }

  @Test
  void customRegisteredLayerAndCustomInitializer() throws Exception {
    Path layerFile =
        kerasWithConfig(
            "custom",
            m -> {
              layer(m, 6).put("registered_name", "my_package>MyDense");
              layer(m, 6).put("module", "my_package.layers");
            });
    assertRefused(layerFile, "layer 'dense'", "custom object");
    Path initFile =
        kerasWithConfig(
            "custom-init",
            m ->
                ((ObjectNode) layer(m, 1).get("config").get("kernel_initializer"))
                    .put("registered_name", "Custom>Evil"));
    assertRefused(initFile, "layer 'conv2d' kernel_initializer", "custom object");
  }

  @Test
  void unknownLayerClass() throws Exception {
    Path file =
        kerasWithConfig(
            "ln",
            m -> {
              ArrayNode layers = (ArrayNode) m.get("config").get("layers");
              ObjectNode ln = layers.get(5).deepCopy();
              ln.put("class_name", "LayerNormalization");
              ((ObjectNode) ln.get("config")).put("name", "layer_normalization");
              layers.insert(6, ln);
            });
    assertRefused(file, "layer 'layer_normalization' has unsupported type LayerNormalization");
  }

  @Test
  void zipEntryClimbingOutOfTheArchive() throws Exception {
    Path file =
        zip("evil.keras", Map.of("config.json", new byte[] {'{', '}'}, "../evil", new byte[] {1}));
    assertRefused(file, "unsafe entry name '../evil'");
  }

  @Test
  void zipBomb() throws Exception {
    // 200 MB of zeros deflate to about 200 KB: tiny compressed, huge declared.
    Path file = tmp.resolve("bomb.keras");
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("config.json"));
      zip.write(Json.MAPPER.writeValueAsBytes(KerasModelConfig.toKeras3(ModelSpec.seedCnn())));
      zip.putNextEntry(new ZipEntry("model.weights.h5"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 200; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }
    assertTrue(Files.size(file) < 1_000_000);
    assertRefused(file, "model.weights.h5", "zip bomb");
  }

  @Test
  void datasetOfTheWrongShape() throws Exception {
    // Weights of a 3x3 first convolution under the seed model's 5x5 config.
    ModelSpec other =
        new ModelSpec(
            "sequential",
            List.of(28, 28, 1),
            List.of(
                new Conv2D(32, 3, ActivationFunction.RELU),
                new MaxPooling2D(2),
                new Conv2D(64, 3, ActivationFunction.RELU),
                new MaxPooling2D(2),
                new Flatten(),
                new Dense(128, ActivationFunction.RELU),
                new Dense(10, ActivationFunction.SOFTMAX)));
    Path h5 = tmp.resolve("other.weights.h5");
    WeightsH5.write(other.initialWeights(1), PROVENANCE, h5);
    Path file =
        zip(
            "shape.keras",
            Map.of(
                "config.json",
                    Json.MAPPER.writeValueAsBytes(KerasModelConfig.toKeras3(ModelSpec.seedCnn())),
                "model.weights.h5", Files.readAllBytes(h5)));
    assertRefused(
        file,
        "layer 'conv2d' kernel",
        "layers/conv2d/vars/0",
        "[3, 3, 1, 32]",
        "expected [5, 5, 1, 32]");
  }

  @Test
  void cliSaysItInOneLine() throws Exception {
    Path file =
        kerasWithConfig(
            "cf-cli",
            m -> ((ObjectNode) layer(m, 1).get("config")).put("data_format", "channels_first"));
    Cli.Run r =
        Cli.run(
            "convert", "--input", file.toString(), "--output", tmp.resolve("out.h5").toString());
    assertEquals(1, r.code());
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), r.err());
    assertTrue(
        lines.get(0).startsWith("error: ") && lines.get(0).contains("channels_first"),
        lines.get(0));
    assertFalse(Files.exists(tmp.resolve("out.h5")));
  }
}
