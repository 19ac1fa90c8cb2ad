package dev.mnistcnn.io;

import java.io.IOException;
import dev.mnistcnn.model.ModelWeights;
import java.nio.file.Path;

/** Reads a model's spec and weights from any supported format. */
public final class ModelReader {
  private ModelReader() {}

  public static ModelWeights readWeights(Path path) throws IOException {
    return switch (ModelFormat.detect(path)) {
      case SAVED_MODEL -> SavedModels.readWeights(path);
      case KERAS, H5 -> throw new IOException(
          "reading Keras files arrives with the Keras exchange work: " + path);
    };
  }
}
