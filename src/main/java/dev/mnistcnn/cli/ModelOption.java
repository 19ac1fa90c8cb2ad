package dev.mnistcnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model PATH}, the model a command loads: any format the Predictor opens. */
final class ModelOption {
  @Option(
      names = "--model",
      defaultValue = "saved_model",
      paramLabel = "PATH",
      description = "SavedModel directory, .keras or .h5 file (default: ${DEFAULT-VALUE}).")
  Path path;
}
