package dev.mnistcnn.support;

import dev.mnistcnn.FileTrees;
import dev.mnistcnn.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Base paths of numbered version folders, as TF Serving reads them, made of the two shipped models:
 * their weights differ, so an answer tells which one gave it.
 */
public final class ModelVersions {
  private ModelVersions() {}

  /** The shipped model (the seed recipe). */
  public static Path plain() {
    return TestData.shippedModel();
  }

  /** The shipped model of the augmented recipe: other weights, other answers. */
  public static Path augmented() {
    return TestData.shippedAugmentedModel();
  }

  /** Copies {@code model} to a temporary name beside it, then moves it to {@code base/version}. */
  public static Path deploy(Path base, long version, Path model) throws IOException {
    Files.createDirectories(base);
    Path staging = base.resolve(".staging-" + version);
    FileTrees.copy(model, staging);
    return Files.move(
        staging, base.resolve(Long.toString(version)), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Copies {@code model} straight into {@code base/version}, file by file. */
  public static Path copyInPlace(Path base, long version, Path model) throws IOException {
    Files.createDirectories(base);
    Path folder = base.resolve(Long.toString(version));
    FileTrees.copy(model, folder);
    return folder;
  }
}
