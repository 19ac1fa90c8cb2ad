package dev.mnistcnn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistcnn.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag(Tier.FAST)
class DatasetLoaderTest {
  @TempDir static Path mnistDir;
  @TempDir Path dir;
  private final List<String> log = new ArrayList<>();

  @BeforeAll
  static void extractMnist() throws IOException {
    MnistFixture.extractInto(mnistDir);
  }

  private static int[] firstLabels(Split split) {
    int[] labels = new int[10];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = split.label(i);
    }
    return labels;
  }

  /** Hard-links the given MNIST files into {@code dir}: variants without copying 55 MB. */
  private void link(DatasetFile... files) throws IOException {
    for (DatasetFile file : files) {
      Files.createLink(dir.resolve(file.fileName()), mnistDir.resolve(file.fileName()));
    }
  }

  @Test
  void loadsRealMnist() throws IOException {
    Dataset mnist = DatasetLoader.load(DatasetKind.MNIST, mnistDir, true, log::add);
    assertEquals(DatasetKind.MNIST, mnist.kind());
    assertEquals(60000, mnist.train().count());
    assertEquals(10000, mnist.test().count());
    assertEquals(28, mnist.train().rows());
    assertEquals(28, mnist.test().cols());
    assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, firstLabels(mnist.train()));
    assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, firstLabels(mnist.test()));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(
        "train-images-idx3-ubyte",
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    expected.put(
        "train-labels-idx1-ubyte",
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");
    expected.put(
        "t10k-images-idx3-ubyte",
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");
    expected.put(
        "t10k-labels-idx1-ubyte",
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
    assertEquals(expected, mnist.sha256());
    assertEquals(List.of("Loading MNIST from " + mnistDir), log);
  }

  @Test
  void loadsGzipCopies() throws IOException {
    link(DatasetFile.TRAIN_IMAGES, DatasetFile.TEST_IMAGES);
    for (DatasetFile labels : List.of(DatasetFile.TRAIN_LABELS, DatasetFile.TEST_LABELS)) {
      byte[] raw = Files.readAllBytes(mnistDir.resolve(labels.fileName()));
      Files.write(dir.resolve(labels.gzipFileName()), IdxFiles.gzip(raw));
    }
    Dataset mnist = DatasetLoader.load(DatasetKind.MNIST, dir, log::add);
    assertEquals(7, mnist.test().label(0));
    assertEquals(
        DatasetKind.MNIST.sha256(DatasetFile.TRAIN_LABELS),
        mnist.sha256().get("train-labels-idx1-ubyte"));
  }

  @Test
  void explicitFolderWithoutFilesIsAnError() {
    IOException e =
        assertThrows(IOException.class, () -> DatasetLoader.load(DatasetKind.MNIST, dir, log::add));
    assertEquals(
        "no MNIST files in "
            + dir
            + " (expected train-images-idx3-ubyte[.gz], "
            + "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], "
            + "t10k-labels-idx1-ubyte[.gz])",
        e.getMessage());
    assertEquals(List.of(), log, "nothing is fetched into a folder the user named");
  }

  @Test
  void namesTheMissingFiles() throws IOException {
    link(DatasetFile.TRAIN_IMAGES, DatasetFile.TRAIN_LABELS, DatasetFile.TEST_IMAGES);
    IOException e =
        assertThrows(
            IOException.class, () -> DatasetLoader.load(DatasetKind.MNIST, dir, true, log::add));
    assertEquals("missing MNIST files in " + dir + ": t10k-labels-idx1-ubyte[.gz]", e.getMessage());
  }

  @Test
  void corruptFileFailsItsChecksum() throws IOException {
    link(DatasetFile.TRAIN_IMAGES, DatasetFile.TEST_IMAGES, DatasetFile.TEST_LABELS);
    byte[] labels = Files.readAllBytes(mnistDir.resolve(DatasetFile.TRAIN_LABELS.fileName()));
    labels[8] = 6; // the first label, 5, becomes 6: still a valid IDX file
    Path corrupt = Files.write(dir.resolve(DatasetFile.TRAIN_LABELS.fileName()), labels);
    ChecksumMismatchException e =
        assertThrows(
            ChecksumMismatchException.class,
            () -> DatasetLoader.load(DatasetKind.MNIST, dir, true, log::add));
    assertTrue(
        e.getMessage()
            .startsWith(
                "checksum mismatch for "
                    + corrupt
                    + ": expected SHA-256 "
                    + "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5 "
                    + "(MNIST train-labels-idx1-ubyte), found "
                    + Sha256.of(labels)),
        e.getMessage());
  }

  @Test
  void fashionMissingPointsToTheDebianPackage() {
    IOException e =
        assertThrows(
            IOException.class, () -> DatasetLoader.load(DatasetKind.FASHION, dir, false, log::add));
    assertTrue(e.getMessage().startsWith("no Fashion-MNIST files in " + dir), e.getMessage());
    assertTrue(
        e.getMessage()
            .endsWith(
                "install them with 'apt-get install dataset-fashion-mnist' or pass --data DIR"));
  }

  @Test
  void loadsFashionMnistFromTheDebianPackage() throws IOException {
    Path fashionDir = DatasetLoader.defaultDataDir(DatasetKind.FASHION);
    assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), fashionDir);
    Dataset fashion = DatasetLoader.load(DatasetKind.FASHION, fashionDir, log::add);
    assertEquals(60000, fashion.train().count());
    assertEquals(10000, fashion.test().count());
    assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, firstLabels(fashion.train()));
    assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, firstLabels(fashion.test()));
    assertEquals(
        Map.of(
            "train-images-idx3-ubyte",
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte",
                "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte",
                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte",
                "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
        fashion.sha256());
  }

  @Test
  void defaultFolderFollowsTheSystemProperty() {
    String previous = System.getProperty(DatasetLoader.DATA_DIR_PROPERTY);
    try {
      System.setProperty(DatasetLoader.DATA_DIR_PROPERTY, dir.toString());
      assertEquals(dir, DatasetLoader.defaultDataDir());
      assertEquals(dir, DatasetLoader.defaultDataDir(DatasetKind.MNIST));
      System.clearProperty(DatasetLoader.DATA_DIR_PROPERTY);
      assertEquals(
          Path.of("mnist-data").toAbsolutePath(), DatasetLoader.defaultDataDir(DatasetKind.MNIST));
    } finally {
      if (previous != null) {
        System.setProperty(DatasetLoader.DATA_DIR_PROPERTY, previous);
      }
    }
  }
}
