package dev.mnistcnn.inference;

import dev.mnistcnn.graph.ServingGraph;
import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.model.ModelWeights;
import dev.mnistcnn.saving.ModelFormat;
import dev.mnistcnn.saving.ModelReader;
import dev.mnistcnn.saving.savedmodel.ModelTrust;
import dev.mnistcnn.saving.savedmodel.NativeStack;
import dev.mnistcnn.saving.savedmodel.SavedModelGuard;
import dev.mnistcnn.saving.savedmodel.SavedModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.proto.ConfigProto;

/**
 * Opens a model as a {@link Predictor} (behind {@link Predictor#open} and {@link
 * Predictor#fromWeights}): detects the format; a .keras or .h5 file is read into weights and
 * rebuilt in a graph ({@link ServingGraph}); a SavedModel's graph is guarded before TensorFlow sees
 * it (op allowlist, graph bounds, compute cap: {@link SavedModelGuard}), then loaded and its
 * serving signature picked. Either way the signature is checked ({@link ImageSignature}) and the
 * model run once ({@link Predictor#firstRun}); what was opened is closed again when a check fails.
 * Where sessions have their own thread pools, the model is opened twice: once for each of the
 * predictor's lanes.
 */
final class PredictorLoader {
  private PredictorLoader() {}

  static Predictor open(Path path, ModelTrust trust) throws InferenceException {
    ModelFormat format;
    try {
      format = ModelFormat.detect(path);
      if (format != ModelFormat.SAVED_MODEL) {
        return fromWeights(
            ModelReader.readWeights(path, trust), format.cliName() + " file " + path);
      }
      SavedModelGuard.check(path, trust);
      SavedModels.checkHasVariables(path);
    } catch (IOException e) {
      throw new InferenceException(e.getMessage(), e);
    }
    // Loading and the first run (where grappler rewrites the graph) recurse in native code.
    return NativeStack.call(InferenceException.class, () -> openSavedModel(path, trust));
  }

  static Predictor fromWeights(ModelWeights weights, String description) throws InferenceException {
    ServingGraph serving = ServingGraph.of(weights, SessionConfigs.inference());
    ServingGraph small = null;
    try {
      ConfigProto oneThread = SessionConfigs.inferenceOneThread();
      small = oneThread == null ? null : ServingGraph.of(weights, oneThread);
      return checked(
          serving.session(),
          small == null ? null : small.session(),
          serving.signature(),
          description,
          false,
          serving,
          small);
    } catch (RuntimeException | InferenceException e) {
      serving.close();
      if (small != null) {
        small.close();
      }
      throw e;
    }
  }

  private static Predictor openSavedModel(Path path, ModelTrust trust) throws InferenceException {
    SavedModelBundle bundle = load(path, SessionConfigs.inference());
    SavedModelBundle small = null;
    try {
      ConfigProto oneThread = SessionConfigs.inferenceOneThread();
      small = oneThread == null ? null : load(path, oneThread);
      return checked(
          bundle.session(),
          small == null ? null : small.session(),
          servingSignature(bundle, path),
          "SavedModel " + path,
          trust == ModelTrust.CHECKED,
          bundle,
          small);
    } catch (InferenceException | RuntimeException e) {
      bundle.close();
      if (small != null) {
        small.close();
      }
      throw e;
    }
  }

  private static SavedModelBundle load(Path path, ConfigProto config) throws InferenceException {
    try {
      return SavedModelBundle.loader(path.toString())
          .withTags(SavedModelBundle.DEFAULT_TAG)
          .withConfigProto(config)
          .load();
    } catch (RuntimeException e) {
      throw new InferenceException(
          "cannot load SavedModel " + path + ": " + SavedModels.firstLine(e.getMessage()), e);
    }
  }

  private static Signature servingSignature(SavedModelBundle bundle, Path path)
      throws InferenceException {
    List<Signature> signatures = bundle.signatures();
    for (Signature s : signatures) {
      if (s.key().equals(Signature.DEFAULT_KEY)) {
        return s;
      }
    }
    if (signatures.size() == 1) {
      return signatures.get(0);
    }
    throw new InferenceException(
        "SavedModel "
            + path
            + " has no '"
            + Signature.DEFAULT_KEY
            + "' signature (found "
            + signatures.stream().map(Signature::key).toList()
            + ")");
  }

  /**
   * A predictor over {@code session} (and {@code smallSession}, the same model on one thread, or
   * null), its signature checked and its first run done (output {@code finite} where asked),
   * closing {@code owned} (nulls skipped) when closed.
   */
  private static Predictor checked(
      Session session,
      Session smallSession,
      Signature sig,
      String description,
      boolean finite,
      AutoCloseable... owned)
      throws InferenceException {
    ImageSignature signature = ImageSignature.check(sig, session.graph(), description);
    List<AutoCloseable> closeables = new ArrayList<>();
    for (AutoCloseable c : owned) {
      if (c != null) {
        closeables.add(c);
      }
    }
    Predictor p =
        new Predictor(session, smallSession, signature, description, List.copyOf(closeables));
    p.firstRun(finite);
    return p;
  }
}
