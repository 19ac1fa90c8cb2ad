package dev.mnistcnn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mnistcnn.files.Json;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.keras.ShortSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --spec}: a Keras model config: the model {@code train} trains from fresh weights, or the
 * layers of a SavedModel that does not describe them itself (Keras's {@code model.export()}).
 * Without it both are the seed CNN.
 */
final class SpecOption {
  @Option(
      names = "--spec",
      paramLabel = "JSON",
      description =
          "Keras model config (a .keras file's config.json, model.to_json(), or the short form"
              + " [{\"Conv2D\": {\"filters\": 32, ...}}, ...], see docs/layers.md): for train"
              + " without --from, the model to train; otherwise the layers of a SavedModel made"
              + " by Keras's model.export(). Default: the seed CNN.")
  Path file;

  /** The spec given, or null. */
  ModelSpec load() throws IOException {
    if (file == null) {
      return null;
    }
    try {
      JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(file));
      // A list is the short form; an object is what Keras writes.
      return root.isArray() ? ShortSpec.parse(root) : KerasModelConfig.parse(root);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
