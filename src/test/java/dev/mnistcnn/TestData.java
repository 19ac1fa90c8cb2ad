package dev.mnistcnn;

import dev.mnistcnn.data.Dataset;
import dev.mnistcnn.data.DatasetKind;
import dev.mnistcnn.data.DatasetLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Real MNIST for tests, loaded once per JVM (fetched into mnist-data/ if missing). */
public final class TestData {
  private static Dataset mnist;

  private TestData() {}

  public static synchronized Dataset mnist() {
    if (mnist == null) {
      try {
        mnist = DatasetLoader.load(DatasetKind.MNIST, null, System.err::println);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return mnist;
  }

  /** The repository root (surefire sets the property; falls back to the working directory). */
  public static Path projectDir() {
    return Path.of(System.getProperty("mnistcnn.projectDir", "."));
  }

  /** The model shipped in the repository. */
  public static Path shippedModel() {
    return projectDir().resolve("saved_model");
  }

  /** The model of the augmented recipe shipped beside it ({@code train --recipe augmented}). */
  public static Path shippedAugmentedModel() {
    return projectDir().resolve("models/augmented");
  }
}
