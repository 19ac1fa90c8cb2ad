package dev.mnistcnn.saving.savedmodel;

import dev.mnistcnn.graph.SessionConfigs;
import dev.mnistcnn.graph.Tensors;
import dev.mnistcnn.model.ModelSpec;
import dev.mnistcnn.model.ModelWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObject;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedObjectGraph;
import org.tensorflow.proto.SavedObjectGraphOuterClass.SavedVariable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Weights of a SavedModel written by Keras's {@code model.export()} (or any TF2 SavedModel): the
 * variables are found in the object graph of {@code saved_model.pb}, their values read from the
 * checkpoint with a {@code RestoreV2} op in a fresh graph, so no function of the file is ever run.
 * Such a SavedModel does not store its layers: the variables are matched to a given spec (the seed
 * CNN unless the user names another) by shape, and refused when they do not fit.
 */
public final class ExportedSavedModel {
  private static final String VALUE_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE";

  private ExportedSavedModel() {}

  /** A float variable of the object graph: its checkpoint key, Keras path and shape. */
  record Variable(String checkpointKey, String name, List<Integer> shape) {}

  /**
   * Reads the variables matched to {@code spec}. Nothing of the graph runs here, but the graph is
   * still checked unless trusted, so that a file is refused or accepted the same way everywhere.
   */
  public static ModelWeights readWeights(Path dir, ModelSpec spec, ModelTrust trust)
      throws IOException {
    SavedModelGuard.check(dir, trust);
    SavedModels.checkHasVariables(dir);
    List<Variable> variables = variables(dir);
    List<Variable> matched = match(dir, variables, spec);
    List<ModelSpec.WeightRef> refs = spec.weightRefs();
    Map<String, float[]> values = new LinkedHashMap<>();
    List<float[]> restored = restore(dir, matched);
    for (int i = 0; i < refs.size(); i++) {
      values.put(refs.get(i).path(), restored.get(i));
    }
    return ModelWeights.of(spec, values);
  }

  /**
   * The float variables reachable from the root, breadth first, each once under the path by which
   * TensorFlow's checkpoint names it (the first found). Keras lists its variables twice ({@code
   * variables/i} in layer order, {@code _all_variables/i} in any order), as distinct objects of the
   * same name; the first of each name is kept.
   */
  static List<Variable> variables(Path dir) throws IOException {
    SavedObjectGraph graph = objectGraph(dir);
    if (graph.getNodesCount() == 0) {
      throw new IOException(
          dir
              + ": the SavedModel has no object graph (a TF1 SavedModel): its variables are"
              + " unknown");
    }
    Map<Integer, String> paths = new HashMap<>();
    Deque<Integer> queue = new ArrayDeque<>(List.of(0));
    paths.put(0, "");
    List<Variable> found = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    while (!queue.isEmpty()) {
      int id = queue.removeFirst();
      SavedObject node = graph.getNodes(id);
      if (node.getKindCase() == SavedObject.KindCase.VARIABLE) {
        SavedVariable v = node.getVariable();
        boolean firstOfName = v.getName().isEmpty() || names.add(v.getName());
        if (v.getDtype() == DataType.DT_FLOAT && firstOfName) {
          List<Integer> shape =
              v.getShape().getDimList().stream().map(d -> Math.toIntExact(d.getSize())).toList();
          found.add(new Variable(paths.get(id) + VALUE_SUFFIX, v.getName(), shape));
        }
      }
      for (var child : node.getChildrenList()) {
        if (!paths.containsKey(child.getNodeId())) {
          String parent = paths.get(id);
          paths.put(
              child.getNodeId(),
              parent.isEmpty() ? child.getLocalName() : parent + "/" + child.getLocalName());
          queue.addLast(child.getNodeId());
        }
      }
    }
    return found;
  }

  private static SavedObjectGraph objectGraph(Path dir) throws IOException {
    SavedModel model = SavedModelGuard.read(dir);
    for (MetaGraphDef meta : model.getMetaGraphsList()) {
      if (meta.getMetaInfoDef().getTagsList().contains("serve")) {
        return meta.getObjectGraphDef();
      }
    }
    throw new IOException(dir + ": no MetaGraph tagged 'serve'");
  }

  /**
   * The variables in the spec's weight order: in file order when the shapes line up (Keras exports
   * {@code model.variables} in layer order), else by shape when every expected shape is unique and
   * found exactly once.
   */
  static List<Variable> match(Path dir, List<Variable> variables, ModelSpec spec)
      throws IOException {
    List<List<Integer>> expected = spec.weightRefs().stream().map(r -> r.spec().shape()).toList();
    List<List<Integer>> inFile = variables.stream().map(Variable::shape).toList();
    if (inFile.equals(expected)) {
      return variables;
    }
    List<Variable> byShape = new ArrayList<>();
    for (List<Integer> shape : expected) {
      List<Variable> candidates = variables.stream().filter(v -> v.shape().equals(shape)).toList();
      if (candidates.size() == 1 && Collections.frequency(expected, shape) == 1) {
        byShape.add(candidates.get(0));
      }
    }
    if (byShape.size() != expected.size() || variables.size() != expected.size()) {
      throw new IOException(
          dir
              + ": its variables (shapes "
              + inFile
              + ") do not fit the model '"
              + spec.name()
              + "' (weight shapes "
              + expected
              + "); give the model config of this SavedModel");
    }
    return byShape;
  }

  private static List<float[]> restore(Path dir, List<Variable> variables) throws IOException {
    String prefix = dir.resolve("variables").resolve("variables").toString();
    String[] keys = variables.stream().map(Variable::checkpointKey).toArray(String[]::new);
    String[] slices = new String[keys.length];
    java.util.Arrays.fill(slices, "");
    List<Class<? extends TType>> types = Collections.nCopies(keys.length, TFloat32.class);
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Restore restore =
          tf.train.restore(
              tf.constant(prefix),
              tf.constant(StandardCharsets.UTF_8, keys),
              tf.constant(StandardCharsets.UTF_8, slices),
              types);
      try (Session session = new Session(graph, SessionConfigs.defaults())) {
        Session.Runner runner = session.runner();
        restore.tensors().forEach(runner::fetch);
        List<float[]> out = new ArrayList<>();
        try (Result result = runner.run()) {
          for (int i = 0; i < keys.length; i++) {
            TFloat32 t = (TFloat32) result.get(i);
            List<Integer> shape = variables.get(i).shape();
            long expected =
                shape.stream().mapToLong(Integer::longValue).reduce(1, Math::multiplyExact);
            if (t.shape().size() != expected) {
              throw new IOException(
                  dir
                      + ": checkpoint value of "
                      + keys[i]
                      + " has shape "
                      + t.shape()
                      + ", the object graph says "
                      + shape);
            }
            out.add(Tensors.toArray(t));
          }
        }
        return out;
      }
    } catch (RuntimeException e) {
      throw new IOException(
          dir + ": cannot read its variables: " + SavedModels.firstLine(e.getMessage()), e);
    }
  }
}
