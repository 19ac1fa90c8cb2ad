package dev.mnistcnn.saving.provenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.train.LossAndAccuracy;
import dev.mnistcnn.train.TrainingConfig;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed provenance: the shape written now, the flat shape of 0.1.0 read into the same parts. */
@Tag(Tier.FAST)
class ProvenanceTest {
  @TempDir Path tmp;

  /** The provenance.json shipped with 0.1.0 (saved_model/), in the flat shape of that version. */
  private static String version010File() throws Exception {
    try (InputStream in = ProvenanceTest.class.getResourceAsStream("provenance-0.1.0.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aFileOfVersion010ReadsIntoTheTypedParts() throws Exception {
    JsonNode flat = Json.MAPPER.readTree(version010File());
    assertTrue(flat.get("dataset").isTextual(), "the fixture is the old flat shape");

    Path file = tmp.resolve(Provenance.FILE_NAME);
    Files.writeString(file, version010File());
    Provenance p = Provenance.readIfPresent(file);

    assertEquals("mnist-cnn train", p.origin());
    assertEquals("mnist", p.dataset().name());
    assertEquals(TestData.mnist().sha256(), p.dataset().sha256());
    assertEquals(1L, p.trainer().seed());
    assertEquals(10, p.trainer().recipe().get("epochs"));
    assertEquals(200, p.trainer().recipe().get("batch_size"));
    assertNull(p.trainer().precision(), "0.1.0 did not record precision");
    assertEquals(0.9928, p.results().testAccuracy(), 1e-12);
    assertEquals(10_000, p.results().testSamples());
    List<EpochMetrics> history = p.results().history();
    assertEquals(10, history.size());
    assertEquals(1, history.get(0).epoch());
    assertEquals(0.9797, history.get(0).valAccuracy(), 1e-12);
    assertEquals("0.1.0", p.versions().mnistCnn());
    assertEquals("1.1.0", p.versions().tensorflowJava());
    assertTrue(p.versions().madeHere());
    assertNotNull(p.selection());
    assertEquals(flat.get("modelConfig"), p.modelConfig());
  }

  @Test
  void anOldParentInsideANewRecordIsUpgradedToo() throws Exception {
    String json =
        "{\"origin\": \"mnist-cnn convert\", \"parent\": {\"origin\": \"mnist-cnn train\","
            + " \"seed\": 7, \"dataset\": \"fashion\", \"datasetSha256\": {\"a\": \"b\"},"
            + " \"recipe\": {\"epochs\": 3}}}";
    Provenance p = Provenance.fromJson(json);
    assertNull(p.trainer());
    assertEquals(7L, p.parent().trainer().seed());
    assertEquals(3, p.parent().trainer().recipe().get("epochs"));
    assertEquals(new DatasetProvenance("fashion", Map.of("a", "b")), p.parent().dataset());
  }

  @Test
  void aNewRecordWritesTypedPartsAndReadsBackTheSame() throws Exception {
    TrainingConfig config = TrainingConfig.seedRecipe().withSeed(3);
    Provenance p =
        Provenance.create(
            RuntimeVersions.current(),
            "mnist-cnn train",
            new DatasetProvenance("mnist", Map.of("t10k-labels-idx1-ubyte", "ff7b")),
            config.provenance(null),
            new LossAndAccuracy(0.03, 0.99, 10_000)
                .provenance(List.of(new EpochMetrics(1, 1, 12.5, 0.2, 0.94, 0.06, 0.98))),
            null,
            null,
            null);

    JsonNode written = Json.MAPPER.readTree(p.toJson());
    assertEquals(3, written.path("trainer").path("seed").asInt());
    assertEquals("fp32", written.path("trainer").path("recipe").path("precision").asText());
    assertEquals("mnist", written.path("dataset").path("name").asText());
    // What tools/ scripts read stays where it was.
    assertEquals(0.99, written.path("results").path("test_accuracy").asDouble(), 0);
    assertEquals(12.5, written.path("results").path("history").get(0).path("seconds").asDouble());
    for (String flatKey : List.of("seed", "recipe", "datasetSha256")) {
      assertFalse(written.has(flatKey), flatKey);
    }

    Provenance back = Provenance.fromJson(p.toJson());
    assertEquals(p.toJson(), back.toJson());
    assertEquals("fp32", back.trainer().precision());
    assertEquals(p.dataset(), back.dataset());
    assertEquals(p.results(), back.results());
  }

  @Test
  void versionsComeFromThePom() throws Exception {
    String pom = Files.readString(TestData.projectDir().resolve("pom.xml"));
    Versions v = RuntimeVersions.current();
    assertEquals(firstGroup(pom, "<tensorflow.version>([^<]+)<"), v.tensorflowJava());
    assertEquals(
        firstGroup(pom, "<artifactId>mnist-cnn</artifactId>\\s*<version>([^<]+)<"), v.mnistCnn());
    assertTrue(v.madeHere());
    assertFalse(Versions.keras("3.15.1").madeHere());
  }

  private static String firstGroup(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex);
    return m.group(1);
  }
}
