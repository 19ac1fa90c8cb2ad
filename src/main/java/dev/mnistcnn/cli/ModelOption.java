package dev.mnistcnn.cli;

import dev.mnistcnn.saving.savedmodel.ModelTrust;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --model}: any model this program reads, the shipped one by default. */
final class ModelOption {
  @Option(
      names = "--model",
      defaultValue = "saved_model",
      paramLabel = "PATH",
      description =
          "SavedModel directory (ours or Keras's model.export()), .keras or .h5 file"
              + " (default: ${DEFAULT-VALUE}).")
  Path path;

  @Mixin TrustOption trust;

  ModelTrust trust() {
    return trust.trust();
  }
}
