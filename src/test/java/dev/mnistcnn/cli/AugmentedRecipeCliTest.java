package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.graph.CpuFeatures;
import dev.mnistcnn.support.Cli;
import dev.mnistcnn.train.Precision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --recipe augmented} end to end on 400 MNIST images: the recipe's model, schedule and
 * augmentation in the provenance; an export without the augmentation ops that loads under the
 * default op allowlist; checkpoints refusing a resume with another augmentation or schedule.
 */
@Tag(Tier.SLOW)
class AugmentedRecipeCliTest {
  @TempDir Path tmp;

  @Test
  void theAugmentedRecipeTrainsAndExportsAServingGraphWithoutAugmentation() throws Exception {
    Path model = tmp.resolve("model");
    Cli.Run r =
        Cli.run(
            "train",
            "--recipe",
            "augmented",
            "--limit",
            "400",
            "--epochs",
            "1",
            "--lr-schedule",
            "cosine",
            "--output",
            model.toString());
    assertEquals(0, r.code(), r.err());
    // --precision auto (the default) picks by the processor: derive what it says, as the CLI does.
    String precision = Precision.choose("auto", CpuFeatures.current()).describe();
    assertTrue(
        r.out().contains("1 epochs, batch 200, seed 42, " + precision + ", recipe augmented"),
        r.out());
    JsonNode provenance = Json.MAPPER.readTree(model.resolve("provenance.json").toFile());
    JsonNode recipe = provenance.path("trainer").path("recipe");
    assertEquals("augmented", recipe.path("recipe").asText());
    assertEquals(1, recipe.path("epochs").asInt(), "--epochs wins over the recipe's 15");
    // Cosine's default decay: the whole run, 400 / 200 = 2 steps.
    assertEquals(
        2, recipe.path("learning_rate_schedule").path("CosineDecay").path("decay_steps").asInt());
    assertEquals(10.0, recipe.path("augmentation").path("rotation_degrees").asDouble());
    assertTrue(
        provenance.path("modelConfig").toString().contains("BatchNormalization"),
        "the recipe's model");
    String graph =
        new String(
            Files.readAllBytes(model.resolve("saved_model.pb")), StandardCharsets.ISO_8859_1);
    assertFalse(graph.contains("ImageProjectiveTransform"), "no augmentation in the export");
    assertFalse(graph.contains("RandomUniform"), "no random op in the export");
    // The default (untrusted) load checks the graph against the op allowlist.
    Cli.Run eval = Cli.run("evaluate", "--model", model.toString(), "--json");
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("\"samples\":10000"), eval.out());
  }

  @Test
  void aCheckpointRefusesAResumeWithAnotherAugmentationOrSchedule() {
    String checkpoints = tmp.resolve("ckpts").toString();
    String out = tmp.resolve("model").toString();
    Cli.Run first =
        Cli.run(
            "train",
            "--limit",
            "400",
            "--epochs",
            "1",
            "--checkpoint-dir",
            checkpoints,
            "--output",
            out);
    assertEquals(0, first.code(), first.err());
    Cli.run(
            "train",
            "--limit",
            "400",
            "--epochs",
            "2",
            "--augmentation",
            "2,10,0.1",
            "--resume",
            checkpoints,
            "--output",
            out)
        .assertOneLineError("another recipe (augmentation: none there");
    Cli.run(
            "train",
            "--limit",
            "400",
            "--epochs",
            "2",
            "--lr-schedule",
            "exponential",
            "--resume",
            checkpoints,
            "--output",
            out)
        .assertOneLineError("learning_rate_schedule: none there");
  }
}
