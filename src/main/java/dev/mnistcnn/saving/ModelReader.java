package dev.mnistcnn.saving;

import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.saving.keras.KerasArchive;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.keras.LegacyH5;
import dev.mnistcnn.saving.provenance.Provenance;
import dev.mnistcnn.saving.savedmodel.ExportedSavedModel;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import dev.mnistcnn.saving.savedmodel.SavedModels;
import dev.mnistcnn.saving.savedmodel.UntrustedModelException;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a model's spec, weights and provenance from any supported format. */
public final class ModelReader {
  private ModelReader() {}

  public static ModelWeights readWeights(Path path) throws IOException {
    return read(path, null).weights();
  }

  public static ModelWeights readWeights(Path path, ModelTrust trust) throws IOException {
    return read(path, null, trust).weights();
  }

  /** {@link #read(Path, ModelSpec, ModelTrust)}, a SavedModel's graph checked first. */
  public static StoredModel read(Path path, ModelSpec specHint) throws IOException {
    return read(path, specHint, ModelTrust.CHECKED);
  }

  /**
   * Reads {@code path}.
   *
   * @param specHint the layers of a SavedModel that does not describe them (Keras's {@code
   *     model.export()}); null for the seed CNN. Ignored for every other kind of file.
   * @param trust whether a SavedModel's graph is taken as it is, unchecked
   */
  public static StoredModel read(Path path, ModelSpec specHint, ModelTrust trust)
      throws IOException {
    StoredModel stored = readUnchecked(path, specHint, trust);
    if (trust == ModelTrust.CHECKED) {
      checkLoadable(path, stored.weights());
    }
    return stored;
  }

  /**
   * What a model file may not hold unless trusted: weights that are not finite (every prediction
   * NaN) and more than {@link ModelSpec#MAX_FLOPS_PER_IMAGE} per image (each request's compute).
   */
  private static void checkLoadable(Path path, ModelWeights weights) throws IOException {
    String nonFinite = weights.firstNonFinite();
    if (nonFinite != null) {
      throw new UntrustedModelException(
          "model "
              + path
              + " refused: its weights are not all finite ("
              + nonFinite
              + "), so it predicts NaN; pass --trust-model to load it anyway");
    }
    long flops = weights.spec().flopsPerImage();
    if (flops > ModelSpec.MAX_FLOPS_PER_IMAGE) {
      throw new UntrustedModelException(
          String.format(
              "model %s refused: it costs %,d FLOPs per image, more than the %,d allowed"
                  + " (pass --trust-model if you trust this file)",
              path, flops, ModelSpec.MAX_FLOPS_PER_IMAGE));
    }
  }

  private static StoredModel readUnchecked(Path path, ModelSpec specHint, ModelTrust trust)
      throws IOException {
    return switch (ModelFormat.detect(path)) {
      case SAVED_MODEL ->
          SavedModels.hasModelConfig(path)
              ? SavedModels.read(path, trust)
              : readExported(path, specHint == null ? ModelSpec.seedCnn() : specHint, trust);
      case KERAS -> KerasArchive.read(path);
      case H5 -> LegacyH5.read(path);
    };
  }

  private static StoredModel readExported(Path dir, ModelSpec spec, ModelTrust trust)
      throws IOException {
    ModelWeights weights = ExportedSavedModel.readWeights(dir, spec, trust);
    return new StoredModel(
        weights,
        Provenance.foreign(
            "SavedModel "
                + dir.getFileName()
                + " without provenance (e.g. Keras model.export());"
                + " its variables matched by shape to the layers of '"
                + spec.name()
                + "'",
            null,
            null,
            KerasModelConfig.toKeras3(spec)));
  }
}
