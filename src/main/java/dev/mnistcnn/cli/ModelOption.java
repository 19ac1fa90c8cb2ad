package dev.mnistcnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model}: any model this program reads, the shipped one by default. */
final class ModelOption {
  @Option(
      names = "--model",
      defaultValue = "saved_model",
      paramLabel = "PATH",
      description = "SavedModel directory (ours or Keras's model.export()), .keras or .h5 file"
          + " (default: ${DEFAULT-VALUE}).")
  Path path;
}
