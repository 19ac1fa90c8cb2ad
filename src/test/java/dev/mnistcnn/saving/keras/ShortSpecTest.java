package dev.mnistcnn.saving.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.model.ModelSpec;
import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The short spec form: the example file {@code tools/reference/seed-cnn.json} is the seed CNN
 * exactly (names, shapes, every option at Keras's default); unknown classes and keys, and keys this
 * program would ignore, are refused by name.
 */
@Tag(Tier.FAST)
class ShortSpecTest {
  @Test
  void theExampleFileIsTheSeedCnn() throws Exception {
    byte[] file =
        Files.readAllBytes(TestData.projectDir().resolve("tools/reference/seed-cnn.json"));
    assertEquals(ModelSpec.seedCnn(), ShortSpec.parse(Json.MAPPER.readTree(file)));
  }

  @Test
  void unknownClassesAndKeysAreRefusedByName() {
    assertRefused("[{\"Conv3D\": {\"filters\": 2}}]", "layer 1: ", "unsupported type Conv3D");
    assertRefused(
        "[{\"Flatten\": {}}, {\"Dense\": {\"units\": 10, \"activaton\": \"relu\"}}]",
        "layer 2 (Dense): unknown or unsupported keys [activaton]");
    assertRefused(
        "[{\"Conv2D\": {\"filters\": 4, \"kernel_size\": 3, \"kernel_initializer\": \"he_normal\"}}]",
        "layer 1 (Conv2D): unknown or unsupported keys [kernel_initializer]");
    assertRefused("[{\"Flatten\": {}}, {\"Dense\": {}}]", "layer 2: ", "'units'");
    assertRefused("[{\"Flatten\": {}, \"Dense\": {}}]", "layer 1: expected {\"ClassName\"");
    assertRefused("[{\"Flatten\": 3}]", "layer 1 (Flatten): its config must be a JSON object");
    assertRefused("[]", "a short spec is a non-empty JSON list of layers");
  }

  private static void assertRefused(String json, String... fragments) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ShortSpec.parse(Json.MAPPER.readTree(json)));
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' in: " + e.getMessage());
    }
  }
}
