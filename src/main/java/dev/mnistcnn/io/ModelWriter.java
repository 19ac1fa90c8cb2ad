package dev.mnistcnn.io;

import dev.mnistcnn.keras.KerasArchive;
import dev.mnistcnn.keras.LegacyH5;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.store.Provenance;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a model in any supported format, atomically, with its provenance. */
public final class ModelWriter {
  private ModelWriter() {}

  /** Writes {@code target}, replacing only what {@link OutputPolicy} allows without force. */
  public static void write(
      ModelWeights weights, Provenance provenance, Path target, ModelFormat format)
      throws IOException {
    write(weights, provenance, target, format, false);
  }

  /**
   * Writes {@code target}; {@code force} lets it replace what is not a model this program wrote
   * (see {@link OutputPolicy#requireReplaceable}).
   */
  public static void write(
      ModelWeights weights, Provenance provenance, Path target, ModelFormat format, boolean force)
      throws IOException {
    OutputPolicy.requireReplaceable(target, force);
    switch (format) {
      case SAVED_MODEL -> SavedModels.export(weights, provenance, target);
      case KERAS -> KerasArchive.write(weights, provenance, target);
      case H5 -> LegacyH5.write(weights, provenance, target);
    }
  }
}
