package dev.mnistcnn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Finds, fetches (MNIST only, into the default folder only) and verifies a dataset, and reads it
 * into memory. Every file is checked against the known SHA-256 of its decompressed bytes, so
 * corrupt or substituted data is caught however it got there.
 */
public final class DatasetLoader {
  /** Overrides the default data folder, for tests and for machines with a shared copy. */
  public static final String DATA_DIR_PROPERTY = "mnistcnn.dataDir";

  /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
  public static final Path DEBIAN_FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private DatasetLoader() {}

  /** {@code mnist-data/} under the working directory, or the {@value #DATA_DIR_PROPERTY} folder. */
  public static Path defaultDataDir() {
    String configured = System.getProperty(DATA_DIR_PROPERTY);
    Path dir =
        configured == null || configured.isBlank() ? Path.of("mnist-data") : Path.of(configured);
    return dir.toAbsolutePath().normalize();
  }

  /**
   * Where {@code kind} is looked for without {@code --data}: for Fashion-MNIST the Debian package's
   * folder if it is installed, else {@code fashion/} in the default data folder.
   */
  public static Path defaultDataDir(DatasetKind kind) {
    if (kind == DatasetKind.FASHION) {
      return Files.isDirectory(DEBIAN_FASHION_DIR)
          ? DEBIAN_FASHION_DIR
          : defaultDataDir().resolve("fashion");
    }
    return defaultDataDir();
  }

  /** Loads {@code kind} from {@code dataDir}, fetching missing files only if it is the default. */
  public static Dataset load(DatasetKind kind, Path dataDir, Consumer<String> log)
      throws IOException {
    if (dataDir == null) {
      return load(kind, defaultDataDir(kind), false, log);
    }
    boolean isDefault =
        dataDir.toAbsolutePath().normalize().equals(defaultDataDir(kind).toAbsolutePath());
    return load(kind, dataDir, !isDefault, log);
  }

  /**
   * Loads {@code kind} from {@code dataDir}. Missing MNIST files are fetched unless {@code
   * explicitDir} says the user named the folder ({@code --data}): then they are an error, since
   * writing into a folder the user pointed at is a surprise.
   */
  public static Dataset load(
      DatasetKind kind, Path dataDir, boolean explicitDir, Consumer<String> log)
      throws IOException {
    Map<DatasetFile, Path> files = locate(dataDir);
    List<DatasetFile> missing =
        Arrays.stream(DatasetFile.values()).filter(f -> !files.containsKey(f)).toList();
    if (!missing.isEmpty()) {
      if (explicitDir || kind != DatasetKind.MNIST) {
        throw missingFiles(kind, dataDir, missing, explicitDir);
      }
      DatasetFetcher.forMnist().fetch(kind, dataDir, missing, log);
      files.putAll(locate(dataDir));
    }
    log.accept("Loading " + kind.displayName() + " from " + dataDir);
    Map<String, String> sha256 = new LinkedHashMap<>();
    Split train =
        readSplit(kind, files, DatasetFile.TRAIN_IMAGES, DatasetFile.TRAIN_LABELS, sha256);
    Split test = readSplit(kind, files, DatasetFile.TEST_IMAGES, DatasetFile.TEST_LABELS, sha256);
    return new Dataset(kind, train, test, sha256);
  }

  /** Each file as its raw name or, failing that, with ".gz". */
  private static Map<DatasetFile, Path> locate(Path dir) {
    Map<DatasetFile, Path> found = new EnumMap<>(DatasetFile.class);
    for (DatasetFile file : DatasetFile.values()) {
      for (String name : List.of(file.fileName(), file.gzipFileName())) {
        Path path = dir.resolve(name);
        if (Files.isRegularFile(path)) {
          found.putIfAbsent(file, path);
        }
      }
    }
    return found;
  }

  private static IOException missingFiles(
      DatasetKind kind, Path dir, List<DatasetFile> missing, boolean explicitDir) {
    String expected =
        missing.stream().map(f -> f.fileName() + "[.gz]").collect(Collectors.joining(", "));
    String what =
        missing.size() == DatasetFile.values().length
            ? "no " + kind.displayName() + " files in " + dir + " (expected " + expected + ")"
            : "missing " + kind.displayName() + " files in " + dir + ": " + expected;
    if (kind == DatasetKind.FASHION && !explicitDir) {
      what += "; install them with 'apt-get install dataset-fashion-mnist' or pass --data DIR";
    }
    return new IOException(what);
  }

  private static Split readSplit(
      DatasetKind kind,
      Map<DatasetFile, Path> files,
      DatasetFile imagesFile,
      DatasetFile labelsFile,
      Map<String, String> sha256)
      throws IOException {
    Path imagesPath = files.get(imagesFile);
    Path labelsPath = files.get(labelsFile);
    IdxArray images = readVerified(kind, imagesFile, imagesPath, sha256);
    IdxArray labels = readVerified(kind, labelsFile, labelsPath, sha256);
    Split split =
        Split.fromIdx(
            images, imagesPath.toString(), labels, labelsPath.toString(), kind.numClasses());
    if (split.rows() != DatasetKind.IMAGE_SIDE || split.cols() != DatasetKind.IMAGE_SIDE) {
      throw new IdxFormatException(
          "bad images file "
              + imagesPath
              + ": images are "
              + split.rows()
              + "x"
              + split.cols()
              + ", expected "
              + DatasetKind.IMAGE_SIDE
              + "x"
              + DatasetKind.IMAGE_SIDE);
    }
    return split;
  }

  private static IdxArray readVerified(
      DatasetKind kind, DatasetFile file, Path path, Map<String, String> sha256)
      throws IOException {
    MessageDigest digest = Sha256.newDigest();
    IdxArray array = IdxReader.read(path, digest);
    String actual = Sha256.hex(digest);
    ChecksumMismatchException.check(kind, file, path, actual);
    sha256.put(file.fileName(), actual);
    return array;
  }
}
