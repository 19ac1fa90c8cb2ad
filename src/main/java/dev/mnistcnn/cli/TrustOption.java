package dev.mnistcnn.cli;

import dev.mnistcnn.saving.savedmodel.ModelTrust;
import picocli.CommandLine.Option;

/** {@code --trust-model}: load a SavedModel whose graph holds ops outside the allowlist. */
final class TrustOption {
  @Option(
      names = "--trust-model",
      description =
          "Load a SavedModel even if its graph holds ops a model of the supported"
              + " layers never needs (file, network, Python, control flow, init ops). A SavedModel"
              + " is a program: only for files you trust.")
  boolean trusted;

  ModelTrust trust() {
    return trusted ? ModelTrust.TRUSTED : ModelTrust.CHECKED;
  }
}
