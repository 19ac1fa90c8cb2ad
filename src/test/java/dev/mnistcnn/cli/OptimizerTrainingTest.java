package dev.mnistcnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.TestData;
import dev.mnistcnn.Tier;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.support.Cli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --optimizer sgd} on 2,000 real MNIST images: the provenance names SGD with Keras's
 * settings, the checkpoint carries SGD's slots, and resuming that checkpoint with another optimizer
 * is refused with one line.
 */
@Tag(Tier.TRAINING)
class OptimizerTrainingTest {
  @TempDir Path tmp;

  @Test
  void sgdRunRecordsItsOptimizerAndAnotherOptimizerCannotResumeIt() throws Exception {
    Path model = tmp.resolve("sgd-model");
    Path ckpts = tmp.resolve("ckpts");
    String data = TestData.projectDir().resolve("mnist-data").toString();
    TestData.mnist(); // fetched on first use
    Cli.Run r =
        Cli.run(
            "train",
            "--optimizer",
            "sgd",
            "--momentum",
            "0.9",
            "--epochs",
            "1",
            "--limit",
            "2000",
            "--data",
            data,
            "--checkpoint-dir",
            ckpts.toString(),
            "--output",
            model.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode recipe =
        Json.MAPPER
            .readTree(model.resolve("provenance.json").toFile())
            .path("trainer")
            .path("recipe");
    JsonNode sgd = recipe.path("optimizer").path("SGD");
    assertEquals(0.01, sgd.path("learning_rate").asDouble(), 0, recipe.toString());
    assertEquals(0.9, sgd.path("momentum").asDouble(), 0, recipe.toString());
    assertFalse(sgd.path("nesterov").asBoolean(true), recipe.toString());
    assertEquals(1, recipe.path("optimizer").size(), "one optimizer: " + recipe);
    // 10 steps of SGD at lr 0.01 learn something: above chance (0.1); measured 0.27.
    double accuracy =
        1 - Double.parseDouble(r.out().replaceAll("(?s).*CNN Error: ([0-9.]+)%.*", "$1")) / 100;
    assertTrue(accuracy > 0.2, "test accuracy " + accuracy + ": " + r.out());
    String meta = Files.readString(ckpts.resolve("ckpt-000010/meta.json"));
    assertTrue(meta.contains("\"SGD\""), meta);
    String variables =
        new String(
            Files.readAllBytes(ckpts.resolve("ckpt-000010/variables.bin")),
            StandardCharsets.ISO_8859_1);
    for (String name : List.of("sgd/iteration", "sgd/conv2d.kernel_momentum", "dense_1.bias")) {
      assertTrue(variables.contains(name), name + " in the checkpoint");
    }

    Path other = tmp.resolve("adam-model");
    Cli.Run refused =
        Cli.run(
            "train",
            "--epochs",
            "2",
            "--limit",
            "2000",
            "--data",
            data,
            "--resume",
            ckpts.toString(),
            "--output",
            other.toString());
    refused.assertOneLineError("is from another recipe (optimizer: {\"SGD\":");
    assertFalse(Files.exists(other), "nothing written");
  }
}
