package dev.mnistcnn.saving.savedmodel;

import dev.mnistcnn.files.AtomicFiles;
import dev.mnistcnn.files.WriteFailures;
import dev.mnistcnn.graph.ModelGraph;
import dev.mnistcnn.graph.ServingGraph;
import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.model.StoredModel;
import dev.mnistcnn.saving.keras.KerasModelConfig;
import dev.mnistcnn.saving.provenance.Provenance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Our SavedModels: an inference-only graph (no optimizer slots) with signature {@code
 * serving_default} (method {@value ServingGraph#PREDICT_METHOD}), input {@value
 * ModelGraph#INPUT_NAME} float32 {@code [-1, 28, 28, 1]}, output {@value ModelGraph#OUTPUT_NAME}
 * softmax probabilities, variables named after Keras paths, and {@value Provenance#FILE_NAME}
 * beside {@code saved_model.pb}.
 */
public final class SavedModels {
  private SavedModels() {}

  /** Exports atomically: the directory holds either the old model or the new one, never a mix. */
  public static void export(ModelWeights weights, Provenance provenance, Path dir)
      throws IOException {
    export(weights, provenance, dir, Map.of());
  }

  /**
   * As {@link #export(ModelWeights, Provenance, Path)}, with {@code extraFiles} (name -> bytes,
   * names {@code saving.OutputPolicy} accepts in a model directory) written inside before the swap.
   */
  public static void export(
      ModelWeights weights, Provenance provenance, Path dir, Map<String, byte[]> extraFiles)
      throws IOException {
    AtomicFiles.writeDirectory(
        dir,
        WriteFailures.naming(
            dir,
            TensorFlowException.class,
            tmp -> {
              writeSavedModel(weights, tmp);
              provenance.writeTo(tmp.resolve(Provenance.FILE_NAME));
              for (Map.Entry<String, byte[]> f : extraFiles.entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
              }
            }));
  }

  private static void writeSavedModel(ModelWeights weights, Path dir) throws IOException {
    try (ServingGraph serving = ServingGraph.of(weights, SessionConfigs.defaults())) {
      SavedModelBundle.exporter(dir.toString())
          .withSession(serving.session())
          .withSignature(serving.signature())
          .export();
    }
  }

  /** True for the SavedModels this program writes: their provenance holds the model config. */
  public static boolean hasModelConfig(Path dir) throws IOException {
    Provenance p = Provenance.readIfPresent(dir.resolve(Provenance.FILE_NAME));
    return p != null && p.modelConfig() != null;
  }

  /** A SavedModel this program wrote, with its provenance. */
  public static StoredModel read(Path dir, ModelTrust trust) throws IOException {
    return new StoredModel(
        readWeights(dir, trust), Provenance.readIfPresent(dir.resolve(Provenance.FILE_NAME)));
  }

  /** {@link #readWeights(Path, ModelTrust)}, the graph checked first. */
  public static ModelWeights readWeights(Path dir) throws IOException {
    return readWeights(dir, ModelTrust.CHECKED);
  }

  /**
   * Reads the weights of a SavedModel this program wrote: the spec from its provenance file, the
   * values from the variables named by Keras path. Loading runs the graph's restore op, so the
   * graph is checked first unless {@code trust} says otherwise.
   */
  public static ModelWeights readWeights(Path dir, ModelTrust trust) throws IOException {
    Provenance provenance = Provenance.readIfPresent(dir.resolve(Provenance.FILE_NAME));
    if (provenance == null || provenance.modelConfig() == null) {
      throw new IOException(
          "SavedModel "
              + dir
              + " has no "
              + Provenance.FILE_NAME
              + " with a model config, so its layers are unknown; use a .keras or .h5 file");
    }
    ModelSpec spec;
    try {
      spec = KerasModelConfig.parse(provenance.modelConfig());
    } catch (IllegalArgumentException e) {
      throw new IOException(dir + ": " + e.getMessage(), e);
    }
    SavedModelGuard.check(dir, trust);
    checkHasVariables(dir);
    try (SavedModelBundle bundle =
        SavedModelBundle.loader(dir.toString()).withConfigProto(SessionConfigs.defaults()).load()) {
      return ModelGraph.readWeights(bundle.session(), spec);
    } catch (RuntimeException e) {
      throw new IOException(
          "cannot read weights of SavedModel " + dir + ": " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * TensorFlow loads a SavedModel without its checkpoint and only fails at the first read, with
   * "uninitialized value": say which path is missing instead.
   */
  public static void checkHasVariables(Path dir) throws IOException {
    Path index = dir.resolve("variables").resolve("variables.index");
    if (!Files.isRegularFile(index)) {
      throw new IOException("SavedModel " + dir + " has no variables: " + index + " is missing");
    }
  }

  /** TensorFlow's messages run to many lines of context; users get the first. */
  public static String firstLine(String s) {
    return s == null ? "unknown error" : s.lines().findFirst().orElse(s);
  }
}
