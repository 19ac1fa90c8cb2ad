package dev.mnistcnn.cli;

import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.data.DatasetKind;
import dev.mnistcnn.data.DatasetLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data} and {@code --dataset}, shared by every command that reads a dataset. */
final class DataOptions {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Folder with the four IDX files (raw or .gz). Default: mnist-data/ (fetched"
              + " on first use) or, for Fashion-MNIST, the Debian package's folder.")
  Path dataDir;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      defaultValue = "mnist",
      description = "mnist or fashion (default: ${DEFAULT-VALUE}).")
  String dataset;

  DatasetKind kind() {
    return DatasetKind.fromCliName(dataset);
  }

  Dataset load(PrintWriter log) throws IOException {
    return DatasetLoader.load(
        kind(),
        dataDir == null ? DatasetLoader.defaultDataDir(kind()) : dataDir,
        dataDir != null,
        message -> {
          log.println(message);
          log.flush();
        });
  }
}
