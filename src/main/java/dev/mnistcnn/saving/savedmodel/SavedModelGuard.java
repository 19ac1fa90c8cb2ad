package dev.mnistcnn.saving.savedmodel;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.CollectionDef;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Reads {@code saved_model.pb} with the protobuf classes (nothing of TensorFlow's loader runs) and
 * refuses a graph that could do more than compute a classifier: an op outside {@link OpAllowlist}
 * in the graph or in any library function, the checkpoint saver reachable from what loading or
 * predicting runs, an init op that is more than an empty {@code NoOp}, assets, a graph beyond
 * {@link GraphBounds} (native recursion), or a signature that does not match its graph ({@link
 * SignatureCheck}).
 */
public final class SavedModelGuard {
  /** Our graphs take a few KB (weights live in variables/); Keras exports a few hundred KB. */
  static final long MAX_PB_BYTES = 64L << 20;

  private static final String TRUST_HINT = " (pass --trust-model if you trust this file)";
  private static final Set<String> INIT_COLLECTIONS =
      Set.of("saved_model_main_op", "legacy_init_op");
  private static final Set<String> ASSET_COLLECTIONS =
      Set.of("saved_model_assets", "asset_filepaths");
  private static final String INIT_SIGNATURE = "__saved_model_init_op";

  private SavedModelGuard() {}

  /** Checks {@code dir} unless the user trusts it; throws naming the first offending op. */
  public static void check(Path dir, ModelTrust trust) throws IOException {
    if (trust == ModelTrust.TRUSTED) {
      return;
    }
    SavedModel model = read(dir);
    for (MetaGraphDef meta : model.getMetaGraphsList()) {
      new MetaGraphCheck(dir, meta).run();
    }
  }

  /** Parses {@code dir/saved_model.pb}, refusing a file too large to be one of ours. */
  public static SavedModel read(Path dir) throws IOException {
    Path pb = dir.resolve("saved_model.pb");
    if (!Files.isRegularFile(pb)) {
      throw new IOException(dir + ": no saved_model.pb (not a SavedModel directory)");
    }
    long size = Files.size(pb);
    if (size > MAX_PB_BYTES) {
      throw new IOException(
          pb + " is " + size + " bytes, more than the " + MAX_PB_BYTES + " a model graph needs");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(pb)) {
      bytes = in.readNBytes((int) MAX_PB_BYTES + 1);
    }
    if (bytes.length > MAX_PB_BYTES) {
      throw new IOException(pb + " grew beyond " + MAX_PB_BYTES + " bytes while being read");
    }
    try {
      return SavedModel.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(dir + ": saved_model.pb is not a SavedModel (" + e.getMessage() + ")");
    }
  }

  /** The checks of one MetaGraph. */
  private static final class MetaGraphCheck {
    private final Path dir;
    private final MetaGraphDef meta;
    private final Map<String, NodeDef> nodes = new HashMap<>();
    private final Map<String, FunctionDef> functions = new HashMap<>();

    MetaGraphCheck(Path dir, MetaGraphDef meta) {
      this.dir = dir;
      this.meta = meta;
      meta.getGraphDef().getNodeList().forEach(n -> nodes.put(n.getName(), n));
      meta.getGraphDef()
          .getLibrary()
          .getFunctionList()
          .forEach(f -> functions.put(f.getSignature().getName(), f));
    }

    void run() throws UntrustedModelException {
      String tooBig = GraphBounds.violation(meta.getGraphDef());
      if (tooBig != null) {
        throw refuse(tooBig);
      }
      for (NodeDef node : meta.getGraphDef().getNodeList()) {
        checkListed(node, "");
      }
      for (FunctionDef f : meta.getGraphDef().getLibrary().getFunctionList()) {
        for (NodeDef node : f.getNodeDefList()) {
          checkListed(node, " of function '" + f.getSignature().getName() + "'");
        }
      }
      checkAssets();
      checkInitOps();
      for (var e : meta.getSignatureDefMap().entrySet()) {
        if (!e.getKey().equals(INIT_SIGNATURE)) {
          String mismatch = SignatureCheck.mismatch(e.getValue(), nodes);
          if (mismatch != null) {
            throw refuse("its signature '" + e.getKey() + "' " + mismatch);
          }
        }
        for (String tensor : tensorNames(e.getValue())) {
          checkUnreachable(tensor, "signature '" + e.getKey() + "'", OpAllowlist.LOADER_ONLY);
        }
      }
      String restore = meta.getSaverDef().getRestoreOpName();
      if (!restore.isEmpty()) {
        checkUnreachable(restore, "the restore op", OpAllowlist.SAVER_ONLY);
      }
    }

    private void checkListed(NodeDef node, String where) throws UntrustedModelException {
      if (!OpAllowlist.allowed(node.getOp())) {
        throw refuse(opAt(node, where) + " is not one a model of the supported layers needs");
      }
    }

    private void checkAssets() throws UntrustedModelException {
      if (meta.getAssetFileDefCount() > 0) {
        throw refuse("it lists asset files (" + meta.getAssetFileDef(0).getFilename() + ")");
      }
      for (String key : ASSET_COLLECTIONS) {
        if (meta.getCollectionDefMap().containsKey(key)) {
          throw refuse("it has an asset collection '" + key + "'");
        }
      }
    }

    /** TF2 SavedModels carry an empty init NoOp; anything more runs code at load time. */
    private void checkInitOps() throws UntrustedModelException {
      for (String key : INIT_COLLECTIONS) {
        CollectionDef c = meta.getCollectionDefMap().get(key);
        if (c != null) {
          for (String name : c.getNodeList().getValueList()) {
            checkEmptyNoOp(name, "init op collection '" + key + "'");
          }
        }
      }
      SignatureDef init = meta.getSignatureDefMap().get(INIT_SIGNATURE);
      if (init != null) {
        for (String name : tensorNames(init)) {
          checkEmptyNoOp(name, "signature '" + INIT_SIGNATURE + "'");
        }
      }
    }

    private void checkEmptyNoOp(String tensor, String where) throws UntrustedModelException {
      NodeDef node = nodes.get(nodeName(tensor));
      if (node != null && (!node.getOp().equals("NoOp") || node.getInputCount() > 0)) {
        throw refuse(
            "its "
                + where
                + " runs node '"
                + node.getName()
                + "' ("
                + node.getOp()
                + (node.getInputCount() > 0 ? " with inputs " + node.getInputList() : "")
                + ") when the model is loaded");
      }
    }

    /**
     * Walks back from {@code tensor} through inputs and into every function called, refusing the
     * {@code forbidden} op types on the way.
     */
    private void checkUnreachable(String tensor, String from, Set<String> forbidden)
        throws UntrustedModelException {
      Deque<NodeDef> queue = new ArrayDeque<>();
      Set<String> seenNodes = new HashSet<>();
      Set<String> seenFunctions = new HashSet<>();
      NodeDef start = nodes.get(nodeName(tensor));
      if (start != null && seenNodes.add(start.getName())) {
        queue.add(start);
      }
      while (!queue.isEmpty()) {
        NodeDef node = queue.removeFirst();
        checkNotIn(forbidden, node, "", from);
        for (String input : node.getInputList()) {
          NodeDef in = nodes.get(nodeName(input));
          if (in != null && seenNodes.add(in.getName())) {
            queue.add(in);
          }
        }
        Deque<String> calls = new ArrayDeque<>(calledFunctions(node));
        while (!calls.isEmpty()) {
          FunctionDef f = functions.get(calls.removeFirst());
          if (f != null && seenFunctions.add(f.getSignature().getName())) {
            for (NodeDef inner : f.getNodeDefList()) {
              checkNotIn(
                  forbidden, inner, " of function '" + f.getSignature().getName() + "'", from);
              calls.addAll(calledFunctions(inner));
            }
          }
        }
      }
    }

    /** {@code op Foo (node 'bar' in function f)}: what a refusal names. */
    private static String opAt(NodeDef node, String where) {
      return "op " + node.getOp() + " (node '" + node.getName() + "'" + where + ")";
    }

    private void checkNotIn(Set<String> forbidden, NodeDef node, String where, String from)
        throws UntrustedModelException {
      if (forbidden.contains(node.getOp())) {
        throw refuse(opAt(node, where) + " accesses files and is reachable from " + from);
      }
    }

    private UntrustedModelException refuse(String why) {
      return new UntrustedModelException("SavedModel " + dir + " refused: " + why + TRUST_HINT);
    }
  }

  static List<String> calledFunctions(NodeDef node) {
    return node.getAttrMap().values().stream().flatMap(SavedModelGuard::functionNames).toList();
  }

  private static java.util.stream.Stream<String> functionNames(AttrValue v) {
    if (v.hasFunc()) {
      return java.util.stream.Stream.of(v.getFunc().getName());
    }
    return v.getList().getFuncList().stream().map(f -> f.getName());
  }

  private static List<String> tensorNames(SignatureDef sig) {
    return java.util.stream.Stream.concat(
            sig.getInputsMap().values().stream(), sig.getOutputsMap().values().stream())
        .map(TensorInfo::getName)
        .filter(n -> !n.isEmpty())
        .toList();
  }

  /** {@code ^name}, {@code name:0} and {@code name} all mean node {@code name}. */
  static String nodeName(String tensor) {
    String s = tensor.startsWith("^") ? tensor.substring(1) : tensor;
    int colon = s.indexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }
}
