package dev.mnistcnn.saving;

import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.keras.KerasArchive;
import dev.mnistcnn.saving.keras.LegacyH5;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.savedmodel.SavedModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

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
    write(weights, provenance, target, format, force, null);
  }

  /**
   * As {@link #write(ModelWeights, Provenance, Path, ModelFormat, boolean)}, with the training
   * curves PNG (or null): inside a SavedModel directory as {@value OutputPolicy#TRAINING_CURVES},
   * part of its atomic swap; beside a model file as {@code <file>.training-curves.png}, written
   * atomically after the model (named after the whole file name, so that {@code m.keras} and {@code
   * m.h5} side by side keep one each), under {@link OutputPolicy#requireCurvesReplaceable}. The
   * chart is marked as ours ({@link CurvesPng}) so that the next run may replace it.
   */
  public static void write(
      ModelWeights weights,
      Provenance provenance,
      Path target,
      ModelFormat format,
      boolean force,
      byte[] curvesPng)
      throws IOException {
    String nonFinite = weights.firstNonFinite();
    if (nonFinite != null) {
      throw new IOException(
          "refusing to write " + target + ": its weights are not all finite (" + nonFinite + ")");
    }
    OutputPolicy.requireReplaceable(target, force);
    byte[] curves = curvesPng == null ? null : CurvesPng.marked(curvesPng);
    if (curves != null && format != ModelFormat.SAVED_MODEL) {
      OutputPolicy.requireCurvesReplaceable(curvesBeside(target), force); // before the model
    }
    switch (format) {
      case SAVED_MODEL ->
          SavedModels.export(
              weights,
              provenance,
              target,
              curves == null ? Map.of() : Map.of(OutputPolicy.TRAINING_CURVES, curves));
      case KERAS -> KerasArchive.write(weights, provenance, target);
      case H5 -> LegacyH5.write(weights, provenance, target);
    }
    if (curves != null && format != ModelFormat.SAVED_MODEL) {
      AtomicFiles.writeBytes(curvesBeside(target), curves);
    }
  }

  /** Where the training curves of a model file go: {@code m.keras.training-curves.png}. */
  public static Path curvesBeside(Path modelFile) {
    return modelFile.resolveSibling(modelFile.getFileName() + "." + OutputPolicy.TRAINING_CURVES);
  }
}
