package dev.mnistcnn.saving;

import dev.mnistcnn.files.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The model formats the program reads and writes, detected from the path. */
public enum ModelFormat {
  /** A TensorFlow SavedModel directory ({@code saved_model.pb} + {@code variables/}). */
  SAVED_MODEL,
  /** A Keras 3 native file: a zip (or, since Keras 3.4, a directory) of config + weights. */
  KERAS,
  /** A legacy Keras HDF5 file ({@code model.save("x.h5")}). */
  H5;

  /** Detects the format of an existing model path, or fails naming what was expected. */
  public static ModelFormat detect(Path path) throws IOException {
    if (!Files.exists(path)) {
      AtomicFiles.recover(path); // a write killed mid-swap left the old model beside the path
    }
    if (!Files.exists(path)) {
      throw new IOException("model not found: " + path);
    }
    if (Files.isDirectory(path)) {
      if (Files.isRegularFile(path.resolve("saved_model.pb"))) {
        return SAVED_MODEL;
      }
      if (Files.isRegularFile(path.resolve("config.json"))
          && Files.isRegularFile(path.resolve("model.weights.h5"))) {
        return KERAS;
      }
      throw new IOException(
          "not a model directory (no saved_model.pb, no Keras config.json): " + path);
    }
    if (!Files.isRegularFile(path)) {
      throw new IOException("not a model: " + path + " is neither a directory nor a regular file");
    }
    ModelFormat byName = fromFileName(path);
    if (byName == null) {
      throw new IOException(
          "unknown model format for " + path + ": expected a SavedModel directory, .keras or .h5");
    }
    return byName;
  }

  /** The format a file name asks for ({@code .keras}, {@code .h5}/{@code .hdf5}), or null. */
  public static ModelFormat fromFileName(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".keras")) {
      return KERAS;
    }
    if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
      return H5;
    }
    return null;
  }

  /** The format named on the command line ({@code savedmodel}, {@code keras}, {@code h5}). */
  public static ModelFormat fromCliName(String name) {
    for (ModelFormat f : values()) {
      if (f.cliName().equalsIgnoreCase(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown format '" + name + "' (expected savedmodel, keras or h5)");
  }

  /**
   * The format to write {@code output} in: {@code explicit} when given (it must agree with a {@code
   * .keras}/{@code .h5} extension), else the extension's, else a SavedModel directory.
   */
  public static ModelFormat forOutput(Path output, ModelFormat explicit) {
    ModelFormat byName = fromFileName(output);
    if (explicit != null && byName != null && explicit != byName) {
      throw new IllegalArgumentException(
          "--format " + explicit.cliName() + " does not match the output name " + output);
    }
    if (explicit != null) {
      return explicit;
    }
    return byName == null ? SAVED_MODEL : byName;
  }

  /** Name used on the command line ({@code savedmodel}, {@code keras}, {@code h5}). */
  public String cliName() {
    return this == SAVED_MODEL ? "savedmodel" : name().toLowerCase(Locale.ROOT);
  }
}
