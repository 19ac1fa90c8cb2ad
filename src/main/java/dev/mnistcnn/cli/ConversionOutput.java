package dev.mnistcnn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --output} of {@code convert} and its older form {@code export}: where a model goes. */
final class ConversionOutput {
  @Option(
      names = "--output",
      required = true,
      paramLabel = "PATH",
      description =
          "Where to write; replaced atomically if it is a model this program"
              + " wrote (else see --force).")
  Path path;
}
