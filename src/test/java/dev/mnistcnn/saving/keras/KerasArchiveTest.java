package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.graph.RuntimeVersions;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.saving.ModelFormat;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.provenance.TrainerProvenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .keras archive itself: Keras's member layout, the directory form, provenance. */
@Tag(Tier.FAST)
class KerasArchiveTest {
  @TempDir Path tmp;

  @Test
  void writesStoredMembersInKerasOrderWithProvenance() throws Exception {
    ModelSpec spec = ModelSpec.seedCnn();
    ModelWeights weights = spec.initialWeights(5);
    Provenance provenance =
        Provenance.create(
            RuntimeVersions.current(),
            "archive test",
            null,
            new TrainerProvenance(5L, Map.of()),
            null,
            null,
            null,
            null);
    Path file = tmp.resolve("m.keras");
    KerasArchive.write(weights, provenance, file);
    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<String> names = new ArrayList<>();
      for (ZipEntry e : Collections.list(zip.entries())) {
        names.add(e.getName());
        assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
      }
      assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), names);
      JsonNode metadata = Json.MAPPER.readTree(zip.getInputStream(zip.getEntry("metadata.json")));
      assertEquals(KerasModelConfig.KERAS_VERSION, metadata.get("keras_version").asText());
      assertEquals("archive test", metadata.get("mnist_cnn_provenance").get("origin").asText());
    }
    StoredModel back = ModelReader.read(file, null);
    assertEquals("archive test", back.provenance().origin());
    assertEquals(spec, back.weights().spec());
    for (String path : weights.values().keySet()) {
      assertArrayEquals(weights.get(path), back.weights().get(path), path);
    }
  }

  @Test
  void readsTheDirectoryFormLikeTheZip() throws Exception {
    Path file =
        TestData.projectDir().resolve("src/test/resources/keras-3.3.3/seed-untrained.keras");
    Path dir = Files.createDirectories(tmp.resolve("unzipped"));
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        Files.copy(zip.getInputStream(e), dir.resolve(e.getName()));
      }
    }
    assertEquals(ModelFormat.KERAS, ModelFormat.detect(dir));
    ModelWeights fromZip = ModelReader.readWeights(file);
    StoredModel fromDir = ModelReader.read(dir, null);
    assertTrue(
        fromDir.provenance().origin().startsWith("Keras 3.3.3 .keras file"),
        fromDir.provenance().origin());
    for (String path : fromZip.values().keySet()) {
      assertArrayEquals(fromZip.get(path), fromDir.weights().get(path), path);
    }
  }
}
