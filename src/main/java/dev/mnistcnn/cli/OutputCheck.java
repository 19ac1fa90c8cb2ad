package dev.mnistcnn.cli;

import dev.mnistcnn.files.OsPaths;
import dev.mnistcnn.saving.OutputPolicy;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --force} and the checks every command that writes a model makes before any work, so that a
 * long run does not end in a refusal (the writer checks once more when it writes).
 */
final class OutputCheck {
  @Option(
      names = "--force",
      description =
          "Replace an output that exists but is not a model this program wrote: a file,"
              + " a link, or a directory holding only a model's files (never any other directory).")
  boolean force;

  /**
   * Resolves {@code output} once, as the OS does ({@link OsPaths}), and refuses it when it overlaps
   * {@code input} (when given) or holds what would be lost. Returns the resolved path: write that
   * one, so that the path checked is the path written.
   */
  Path require(Path output, Path input) throws IOException {
    Path resolved = OsPaths.resolve(output);
    if (input != null) {
      OutputPolicy.requireApart(resolved, input);
    }
    OutputPolicy.requireReplaceable(resolved, force);
    return resolved;
  }
}
